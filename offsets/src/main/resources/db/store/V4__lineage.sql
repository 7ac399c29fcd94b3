-- The lineage of a connector's positions (docs/design.md, "Apply once with lineage"): binlog coordinates compare only
-- within one binlog history. generation is bumped by `offsets set` and `offsets reset` and by the connector when its
-- source is another server than the one its offsets came from; every event carries it, and the processor orders by
-- (generation, position). source_server is that server's identity (MySQL server_uuid; MariaDB host:port and
-- server_id), NULL until the connector's next term records it after a set or reset. A connector without a row is at
-- generation 0, the generation of events of format version 1.
CREATE TABLE cdc_lineage (
    connector_name VARCHAR(190) NOT NULL,
    generation     BIGINT       NOT NULL,
    source_server  VARCHAR(255) NULL,
    reason         VARCHAR(255) NOT NULL,
    changed_at     DATETIME(3)  NOT NULL,
    PRIMARY KEY (connector_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
