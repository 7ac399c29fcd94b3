-- The table of dev.cdc.demo.bench.VerifyBenchmark, loaded identically into the source (DB=shop) and the target
-- (DB=cdc_target): ROWS rows from MariaDB's sequence engine, every value a function of the id.
CREATE TABLE ${DB}.bench_rows (
    id         BIGINT        NOT NULL PRIMARY KEY,
    account    VARCHAR(20)   NOT NULL,
    amount     DECIMAL(12,2) NOT NULL,
    note       VARCHAR(60)   CHARACTER SET utf8mb4 NULL,
    created_at DATETIME(6)   NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
INSERT INTO ${DB}.bench_rows (id, account, amount, note, created_at)
SELECT seq, CONCAT('acct-', LPAD(seq MOD 97, 2, '0')), (seq MOD 100000) / 100, IF(seq MOD 5 = 0, NULL, CONCAT('row ', seq, ' ✓')),
       TIMESTAMP('2024-01-01') + INTERVAL seq SECOND + INTERVAL (seq MOD 1000) MICROSECOND
FROM ${DB}.seq_1_to_${ROWS};
