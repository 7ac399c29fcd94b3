-- The shared store: lease, latest offsets, offset log and schema history, one set of rows per connector.
-- Names and partition keys compare byte-exact (utf8mb4_bin): offset keys are JSON, where case matters.
-- All times are written and compared with the database clock (NOW(3)); the store's sessions run in UTC.

-- Leadership: one row per connector. epoch increments on every acquisition (DESIGN.md, invariant 1).
CREATE TABLE cdc_lease (
    connector_name VARCHAR(190) NOT NULL,
    owner_id       VARCHAR(190) NOT NULL,
    epoch          BIGINT       NOT NULL,
    expires_at     DATETIME(3)  NOT NULL,
    acquired_at    DATETIME(3)  NOT NULL,
    renewed_at     DATETIME(3)  NOT NULL,
    PRIMARY KEY (connector_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The latest committed offset per source partition; written only by the fenced path (invariant 3).
CREATE TABLE cdc_offset (
    connector_name VARCHAR(190) NOT NULL,
    partition_key  VARCHAR(512) NOT NULL,
    offset_value   TEXT         NOT NULL,
    epoch          BIGINT       NOT NULL,
    committed_at   DATETIME(3)  NOT NULL,
    PRIMARY KEY (connector_name, partition_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Append-only history of offset changes (kind: commit | set | reset); the newest N rows per connector are kept.
-- offset_value NULL records a deleted partition.
CREATE TABLE cdc_offset_log (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    connector_name VARCHAR(190) NOT NULL,
    partition_key  VARCHAR(512) NOT NULL,
    offset_value   TEXT         NULL,
    epoch          BIGINT       NOT NULL,
    owner_id       VARCHAR(190) NOT NULL,
    kind           VARCHAR(16)  NOT NULL,
    committed_at   DATETIME(3)  NOT NULL,
    PRIMARY KEY (id),
    KEY ix_cdc_offset_log_connector (connector_name, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Debezium's schema history, append-only per connector, replayed in seq order.
CREATE TABLE cdc_schema_history (
    connector_name VARCHAR(190) NOT NULL,
    seq            BIGINT       NOT NULL,
    record         MEDIUMTEXT   NOT NULL,
    epoch          BIGINT       NOT NULL,
    PRIMARY KEY (connector_name, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
