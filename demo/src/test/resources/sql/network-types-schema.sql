-- MariaDbNetworkTypesIT: MariaDB's INET4, INET6 and UUID columns, NULL-able and NOT NULL, and as primary keys.
CREATE TABLE shop.net_addr (
  id INT NOT NULL PRIMARY KEY,
  a4 INET4,
  a4_nn INET4 NOT NULL DEFAULT '0.0.0.0',
  a6 INET6,
  a6_nn INET6 NOT NULL DEFAULT '::',
  u UUID,
  note VARCHAR(20)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE shop.net_by_addr (
  addr INET6 NOT NULL PRIMARY KEY,
  id INT NOT NULL UNIQUE,
  v INT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE shop.net_by_uuid (
  u UUID NOT NULL PRIMARY KEY,
  id INT NOT NULL UNIQUE,
  v INT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
