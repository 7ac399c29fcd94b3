-- The table of dev.cdc.demo.bench.SnapshotBenchmark: 10 columns, rows FROM..TO from MariaDB's sequence engine, every
-- value a function of the id. Loaded in slices (one statement each) without binary logging: the snapshot reads the
-- table, nothing needs its load in the binlog.
SET SESSION sql_log_bin = 0;
INSERT INTO shop.bulk (id, account, amount, qty, price, status, note, created_at, ship_date, flags)
SELECT seq, CONCAT('acct-', LPAD(seq MOD 9973, 4, '0')), (seq MOD 1000000) / 100, seq MOD 1000, (seq MOD 77777) / 10000,
       ELT(1 + seq MOD 4, 'new', 'paid', 'shipped', 'returned'), IF(seq MOD 7 = 0, NULL, CONCAT('bulk row ', seq)),
       TIMESTAMP('2024-01-01') + INTERVAL seq SECOND + INTERVAL (seq MOD 1000) MICROSECOND,
       DATE('2024-01-01') + INTERVAL (seq MOD 700) DAY, seq MOD 128
FROM shop.seq_${FROM}_to_${TO};
SET SESSION sql_log_bin = 1;
