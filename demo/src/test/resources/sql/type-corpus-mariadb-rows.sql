-- Generated fixture of TypeCorpusIT: rows at the edges of each range, run once before the connector starts and once while it streams.
SET SESSION time_zone = '+00:00';
INSERT INTO shop.ty_mariadb (`i4`, `i6`, `u`) VALUES ('0.0.0.0', '::', '00000000-0000-0000-0000-000000000000');
INSERT INTO shop.ty_mariadb (`i4`, `i6`, `u`) VALUES ('255.255.255.255', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffffffff-ffff-ffff-ffff-ffffffffffff');
INSERT INTO shop.ty_mariadb (`i4`, `i6`, `u`) VALUES ('192.168.1.10', '2001:db8::1', '123e4567-e89b-12d3-a456-426614174000');
INSERT INTO shop.ty_mariadb (`i4`, `i6`, `u`) VALUES ('10.0.0.1', '::ffff:10.0.0.1', NULL);
INSERT INTO shop.ty_mariadb (`i4`, `i6`, `u`) VALUES (NULL, NULL, NULL);
