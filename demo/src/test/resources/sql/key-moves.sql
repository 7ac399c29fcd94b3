-- A table whose primary key a test moves in bulk, one UPDATE for all rows (each row becomes delete + create).
CREATE TABLE shop.key_moves (
    id   BIGINT      NOT NULL PRIMARY KEY,
    note VARCHAR(40) NOT NULL
) ENGINE = InnoDB;
INSERT INTO shop.key_moves (id, note) SELECT seq, CONCAT('row ', seq) FROM shop.seq_1_to_${ROWS};
