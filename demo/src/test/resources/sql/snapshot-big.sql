-- A table large enough for many incremental-snapshot chunks, and one without a primary key.
CREATE TABLE shop.big (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, amount DECIMAL(12, 2) NOT NULL) ENGINE = InnoDB;
INSERT INTO shop.big (id, name, amount) SELECT seq, CONCAT('row-', seq), seq * 1.5 FROM shop.seq_1_to_${ROWS};
CREATE TABLE shop.nokey (label VARCHAR(32) NOT NULL, qty INT NOT NULL) ENGINE = InnoDB;
INSERT INTO shop.nokey (label, qty) VALUES ('a', 1), ('a', 1), ('b', 2), ('c', 3), ('d', 4);
ANALYZE TABLE shop.big;
