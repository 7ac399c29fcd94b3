-- The processor's idempotence state in the target database (DESIGN.md invariant 6, "Apply once").
-- One row per topic-partition: the highest source position applied (binlog file sequence number, position of
-- the transaction, event, row and sub-record index; NULL until the first streamed change) and the next Kafka offset to apply.
-- Both change in the same transaction as the applied rows. The processor creates this table at startup.
CREATE TABLE IF NOT EXISTS cdc_apply_watermark (
  topic           VARCHAR(249) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kafka_partition INT NOT NULL,
  file_seq        BIGINT NULL,
  pos             BIGINT NULL,
  `event`         BIGINT NULL,
  row_index       BIGINT NULL,
  sub_index       BIGINT NULL,
  next_offset     BIGINT NOT NULL DEFAULT 0,
  updated_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (topic, kafka_partition)
) ENGINE=InnoDB;
