-- Tables of the schema-change test, created before the connector starts (its snapshot sees them).
-- sc_empty stays empty: the target must still have it, with the same definition.
CREATE TABLE shop.sc_empty (
  id    INT NOT NULL PRIMARY KEY,
  label VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_swedish_ci NOT NULL DEFAULT 'none',
  note  TEXT COLLATE utf8mb4_unicode_ci
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE shop.sc_items (
  id       INT NOT NULL PRIMARY KEY,
  name     VARCHAR(10) NOT NULL,
  qty      INT NOT NULL DEFAULT 0,
  note     VARCHAR(30) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  color    ENUM('red','green') NOT NULL DEFAULT 'red',
  tags     SET('a','b') NULL,
  price    DECIMAL(8,2) NULL,
  obsolete INT NOT NULL DEFAULT 7
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO shop.sc_items (id, name, qty, note, color, tags, price) VALUES
  (1, 'one', 1, 'n1', 'red', 'a', 1.10), (2, 'two', 2, NULL, 'green', 'a,b', 2.20), (3, 'three', 3, 'n3', 'red', NULL, NULL),
  (4, 'four', 4, 'n4', 'green', 'b', 4.40), (5, 'five', 5, 'n5', 'red', '', 5.50), (6, 'six', 6, 'n6', 'green', 'a', 6.60),
  (7, 'seven', 7, 'n7', 'red', 'b', 7.70), (8, 'eight', 8, 'n8', 'green', 'a', 8.80);

CREATE TABLE shop.sc_old_name (id INT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO shop.sc_old_name VALUES (1, 'kept one'), (2, 'kept two'), (3, 'kept three');

CREATE TABLE shop.sc_doomed (id INT NOT NULL PRIMARY KEY, payload VARCHAR(10) NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO shop.sc_doomed VALUES (1, 'p1'), (2, 'p2'), (3, 'p3');

CREATE TABLE shop.sc_truncated (id INT NOT NULL PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO shop.sc_truncated VALUES (1, 10), (2, 20), (3, 30), (4, 40);

CREATE TABLE shop.sc_keyed (k1 INT NOT NULL, k2 INT NOT NULL, v VARCHAR(10) NULL, PRIMARY KEY (k1)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO shop.sc_keyed VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 1, 'c');
