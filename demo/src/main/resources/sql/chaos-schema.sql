-- Extra source tables of the chaos run (dev.cdc.demo.bench.ChaosRun), next to the demo schema (sql/source/).
-- MariaDB source: the rows of moving_keys come from the sequence engine (seq_1_to_N).

-- A table whose primary key the chaos workload moves in bulk: one UPDATE ... SET id = id + N for all rows, which
-- the binlog carries as one row change per row and the connector publishes as delete + tombstone + create.
CREATE TABLE shop.moving_keys (
    id    BIGINT      NOT NULL PRIMARY KEY,
    note  VARCHAR(40) NOT NULL,
    moves INT         NOT NULL DEFAULT 0
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
INSERT INTO shop.moving_keys (id, note) SELECT seq, CONCAT('row ', seq) FROM shop.seq_1_to_${ROWS};

-- A table without a primary key (and without any unique key): identical rows may exist, so the target must hold
-- the same rows as a multiset.
CREATE TABLE shop.ledger (
    account    VARCHAR(20)   NOT NULL,
    entry_kind VARCHAR(20)   NOT NULL,
    amount     DECIMAL(12,2) NOT NULL,
    note       VARCHAR(60)   CHARACTER SET utf8mb4 NULL,
    booked_at  DATETIME(6)   NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
INSERT INTO shop.ledger (account, entry_kind, amount, note, booked_at) VALUES
  ('acct-01', 'opening', 100.00, NULL, '2024-01-01 00:00:00.000000'),
  ('acct-01', 'opening', 100.00, NULL, '2024-01-01 00:00:00.000000'),
  ('acct-02', 'opening', 250.50, 'twin rows above: same values', '2024-01-01 00:00:00.000000'),
  ('acct-03', 'opening', 0.00, 'Zoë ✓', '2024-01-01 00:00:00.000001');
