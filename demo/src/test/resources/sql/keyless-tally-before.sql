-- CorpusFailoverIT: a table without a primary key, created before the connector starts. Its rows repeat, so that a
-- change applied twice (or lost) across the failover changes how often a row is there.
CREATE TABLE shop.kl_tally (
  label VARCHAR(10) NOT NULL,
  qty   INT NOT NULL,
  note  VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO shop.kl_tally VALUES ('a', 1, NULL), ('a', 1, NULL), ('b', 2, 'two'), ('c', 3, 'three'), ('c', 3, 'three');
