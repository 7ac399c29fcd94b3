-- The processor's idempotence state in the target database (docs/design.md, "Apply once with lineage").
-- One row per topic-partition: the highest source position applied (lineage generation, binlog file sequence number,
-- position of the transaction, event, row and sub-record index; file_seq NULL until the first streamed change), the
-- next Kafka offset to apply, and the id of the topic those offsets belong to (a deleted and recreated topic starts its
-- offsets again at 0). They change in the same transaction as the applied rows. The processor creates this table at
-- startup and adds the columns that an older version of it lacks.
CREATE TABLE IF NOT EXISTS cdc_apply_watermark (
  topic           VARCHAR(249) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kafka_partition INT NOT NULL,
  generation      BIGINT NOT NULL DEFAULT 0,
  file_seq        BIGINT NULL,
  pos             BIGINT NULL,
  `event`         BIGINT NULL,
  row_index       BIGINT NULL,
  sub_index       BIGINT NULL,
  next_offset     BIGINT NOT NULL DEFAULT 0,
  topic_id        VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
  updated_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (topic, kafka_partition)
) ENGINE=InnoDB;
