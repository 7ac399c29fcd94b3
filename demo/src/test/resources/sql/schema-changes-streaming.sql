-- Every kind of schema change, interleaved with inserts, updates and deletes, run while the connector streams.
CREATE TABLE shop.sc_new (
  id      BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  body    TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  created DATETIME(3) NOT NULL DEFAULT '2020-01-01 00:00:00.000'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE shop.sc_new_empty (id INT NOT NULL PRIMARY KEY, v VARCHAR(5) CHARACTER SET ascii NOT NULL DEFAULT 'e') ENGINE=InnoDB;
INSERT INTO shop.sc_new (body) VALUES ('first'), ('zweite'), ('третий');
CREATE TABLE shop.sc_like LIKE shop.sc_items;
INSERT INTO shop.sc_like SELECT * FROM shop.sc_items WHERE id <= 5;
UPDATE shop.sc_items SET qty = qty + 100 WHERE id % 2 = 0;
-- ADD COLUMN (NOT NULL with a default, placed in the middle)
ALTER TABLE shop.sc_items ADD COLUMN extra VARCHAR(12) NOT NULL DEFAULT 'x' AFTER name;
INSERT INTO shop.sc_items (id, name, extra, qty) VALUES (101, 'after-add', 'given', 3);
UPDATE shop.sc_items SET extra = 'upd' WHERE id IN (1, 2, 3);
-- DROP COLUMN of a NOT NULL column
ALTER TABLE shop.sc_items DROP COLUMN obsolete;
INSERT INTO shop.sc_items (id, name) VALUES (102, 'after-drop');
DELETE FROM shop.sc_items WHERE id = 3;
-- widening
ALTER TABLE shop.sc_items MODIFY COLUMN name VARCHAR(40) NOT NULL;
INSERT INTO shop.sc_items (id, name) VALUES (103, 'a name longer than ten characters');
-- CHANGE COLUMN (rename with a definition) and RENAME COLUMN: the data stays
ALTER TABLE shop.sc_items CHANGE COLUMN note remark VARCHAR(30) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL;
UPDATE shop.sc_items SET remark = 'changed' WHERE id = 4;
ALTER TABLE shop.sc_items RENAME COLUMN remark TO comment_text;
INSERT INTO shop.sc_items (id, name, comment_text) VALUES (104, 'renamed', 'after rename');
-- ENUM and SET members, with a comma and a quote in a member
ALTER TABLE shop.sc_items MODIFY COLUMN color ENUM('red','green','blue','it''s') NOT NULL DEFAULT 'red';
INSERT INTO shop.sc_items (id, name, color) VALUES (105, 'blue', 'blue'), (106, 'quote', 'it''s');
ALTER TABLE shop.sc_items MODIFY COLUMN tags SET('a','b','c') NULL;
UPDATE shop.sc_items SET tags = 'a,c' WHERE id IN (1, 105);
-- wider DECIMAL scale and integer; then narrowing again (the values fit)
ALTER TABLE shop.sc_items MODIFY COLUMN price DECIMAL(12,4) NULL;
UPDATE shop.sc_items SET price = 1.2345 WHERE id = 1;
ALTER TABLE shop.sc_items MODIFY COLUMN qty BIGINT NOT NULL DEFAULT 0;
UPDATE shop.sc_items SET qty = 5000000000 WHERE id = 2;
UPDATE shop.sc_items SET qty = 2 WHERE id = 2;
ALTER TABLE shop.sc_items MODIFY COLUMN qty SMALLINT NOT NULL DEFAULT 1;
INSERT INTO shop.sc_items (id, name) VALUES (107, 'narrowed');
DELETE FROM shop.sc_items WHERE id = 5;
-- DROP and ADD PRIMARY KEY
ALTER TABLE shop.sc_keyed DROP PRIMARY KEY, ADD PRIMARY KEY (k1, k2);
INSERT INTO shop.sc_keyed VALUES (1, 2, 'a2'), (2, 2, 'b2');
UPDATE shop.sc_keyed SET v = 'c!' WHERE k1 = 3;
-- RENAME TABLE, twice in its two forms: the rows stay
RENAME TABLE shop.sc_old_name TO shop.sc_new_name;
INSERT INTO shop.sc_new_name VALUES (4, 'after rename');
UPDATE shop.sc_new_name SET v = 'updated' WHERE id = 1;
ALTER TABLE shop.sc_new_name RENAME TO shop.sc_final_name;
INSERT INTO shop.sc_final_name VALUES (5, 'after alter rename');
DELETE FROM shop.sc_final_name WHERE id = 2;
-- DROP TABLE, then a new table of the same name with another structure
DELETE FROM shop.sc_doomed WHERE id = 1;
DROP TABLE shop.sc_doomed;
CREATE TABLE shop.sc_doomed (id INT NOT NULL PRIMARY KEY, other CHAR(3) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO shop.sc_doomed VALUES (1, 'new');
-- TRUNCATE TABLE, then rows after it
UPDATE shop.sc_truncated SET v = v + 1 WHERE id = 1;
TRUNCATE TABLE shop.sc_truncated;
INSERT INTO shop.sc_truncated VALUES (5, 50), (6, 60);
INSERT INTO shop.sc_truncated VALUES (999, 0);
