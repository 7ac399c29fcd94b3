-- Generated fixture of TypeCorpusIT: MariaDB's own types.
CREATE TABLE shop.ty_mariadb (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `i4` INET4,
  `i6` INET6,
  `u` UUID
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
