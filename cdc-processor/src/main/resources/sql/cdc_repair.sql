-- The processor's repair state in the target database (docs/design.md, "Stop, dead-letter, replay").
-- cdc_dead_letter: one row per record the processor passed over under the dead-letter policy, written in the same
-- transaction that moves the partition's watermark past it, with the record itself, so that it can be replayed.
-- status: pending (the table is diverged), replayed (applied later, in the transaction that set this status).
CREATE TABLE IF NOT EXISTS cdc_dead_letter (
  id               BIGINT NOT NULL AUTO_INCREMENT,
  topic            VARCHAR(249) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kafka_partition  INT NOT NULL,
  kafka_offset     BIGINT NOT NULL,
  source_table     VARCHAR(200) NOT NULL,
  position         VARCHAR(200) NULL,
  generation       BIGINT NULL,
  file_seq         BIGINT NULL,
  pos              BIGINT NULL,
  `event`          BIGINT NULL,
  row_index        BIGINT NULL,
  sub_index        BIGINT NULL,
  record_key       MEDIUMBLOB NULL,
  record_value     LONGBLOB NULL,
  error            TEXT NOT NULL,
  attempts         INT NOT NULL,
  waits_for        BIGINT NULL,
  status           VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT 'pending',
  dead_lettered_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  resolved_at      TIMESTAMP(6) NULL,
  resolved_by      BIGINT NULL,
  PRIMARY KEY (id),
  KEY cdc_dead_letter_status (status, source_table)
) ENGINE=InnoDB;

-- cdc_stopped_partition: a partition stopped at a record under the stop policy (deleted when it moves on).
CREATE TABLE IF NOT EXISTS cdc_stopped_partition (
  topic            VARCHAR(249) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kafka_partition  INT NOT NULL,
  kafka_offset     BIGINT NOT NULL,
  source_table     VARCHAR(200) NOT NULL,
  position         VARCHAR(200) NULL,
  error            TEXT NOT NULL,
  attempts         INT NOT NULL,
  stopped_at       TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (topic, kafka_partition)
) ENGINE=InnoDB;

-- cdc_repair_request: what an operator asked for (bin/cdc dead-letters ...). The processor claims a request
-- (started_at) and marks it done (done_at, result); skip and dead-letter are marked done in the transaction that
-- moves the watermark past the record, each replayed record in the transaction that applies it.
CREATE TABLE IF NOT EXISTS cdc_repair_request (
  id               BIGINT NOT NULL AUTO_INCREMENT,
  action           VARCHAR(16) CHARACTER SET ascii NOT NULL,
  dead_letter_id   BIGINT NULL,
  source_table     VARCHAR(200) NULL,
  topic            VARCHAR(249) CHARACTER SET ascii COLLATE ascii_bin NULL,
  kafka_partition  INT NULL,
  kafka_offset     BIGINT NULL,
  requested_by     VARCHAR(200) NULL,
  requested_at     TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  started_at       TIMESTAMP(6) NULL,
  done_at          TIMESTAMP(6) NULL,
  ok               BOOLEAN NULL,
  result           TEXT NULL,
  PRIMARY KEY (id),
  KEY cdc_repair_request_open (done_at)
) ENGINE=InnoDB;
