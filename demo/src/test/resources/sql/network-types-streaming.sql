-- MariaDbNetworkTypesIT: changes while the connector streams: the same edge values inserted, updates of the address and
-- UUID columns themselves and of other columns (NULL to value, value to NULL, unchanged), primary-key updates, deletes,
-- and schema changes that add INET4/INET6 columns and tables.
INSERT INTO shop.net_addr VALUES
  (11, '0.0.0.0', '0.0.0.0', '::', '::', '00000000-0000-0000-0000-000000000000', 'zeros'),
  (12, '255.255.255.255', '255.255.255.255', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
       'ffffffff-ffff-ffff-ffff-ffffffffffff', 'ones'),
  (13, '10.0.0.1', '1.0.0.0', '::ffff:10.0.0.1', '::ffff:0.0.0.0', '123e4567-e89b-12d3-a456-426614174000', 'mapped'),
  (14, NULL, '127.0.0.1', NULL, '::1', NULL, 'nulls'),
  (15, '192.168.0.0', '10.0.0.0', '2001:db8::', '1::', 'ffffffff-ffff-ffff-ffff-ffffffffff00', 'trailing zeros'),
  (16, '1.2.3.4', '4.3.2.1', '::1.2.3.4', 'fe80::1:0:0:0', '6ccd780c-baba-1026-9564-5b8c656024db', 'compatible');
INSERT INTO shop.net_addr (id, note) VALUES (17, 'defaults');
UPDATE shop.net_addr SET note = 'other column' WHERE id IN (3, 5, 13, 15);
UPDATE shop.net_addr SET a4 = '10.1.0.0', a6 = '::ffff:10.1.0.0', u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a00' WHERE id IN (4, 14);
UPDATE shop.net_addr SET a4 = NULL, a6 = NULL, u = NULL WHERE id IN (2, 12);
UPDATE shop.net_addr SET a4_nn = '0.0.0.0', a6_nn = '::', u = '00000000-0000-0000-0000-000000000000' WHERE id IN (6, 16);
UPDATE shop.net_addr SET id = id + 100 WHERE id IN (1, 11);
DELETE FROM shop.net_addr WHERE id IN (5, 15);
INSERT INTO shop.net_by_addr VALUES ('::1', 11, 11), ('::ffff:0.0.0.0', 12, 12), ('1::', 13, 13), ('::1.2.3.4', 14, 14);
UPDATE shop.net_by_addr SET v = v + 10;
UPDATE shop.net_by_addr SET addr = 'fe80::' WHERE id = 3;
DELETE FROM shop.net_by_addr WHERE addr IN ('::', '::1');
INSERT INTO shop.net_by_uuid VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a00', 11, 11), ('ffffffff-ffff-ffff-ffff-ffffffffffff', 12, 12);
UPDATE shop.net_by_uuid SET v = v + 10;
UPDATE shop.net_by_uuid SET u = '10000000-0000-0000-0000-000000000000' WHERE id = 4;
DELETE FROM shop.net_by_uuid WHERE u IN ('00000000-0000-0000-0000-000000000000', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a00');
ALTER TABLE shop.net_addr ADD COLUMN a6_added INET6 NULL DEFAULT '::1', ADD COLUMN a4_added inet4 NOT NULL DEFAULT '1.2.3.4';
INSERT INTO shop.net_addr (id, a6_added, a4_added, note) VALUES (18, 'ffff::', '0.0.0.0', 'added columns');
UPDATE shop.net_addr SET a6_added = '::' WHERE id = 3;
CREATE TABLE shop.net_created (id INT NOT NULL PRIMARY KEY, `inet6` INET6, b INET4 NOT NULL) ENGINE=InnoDB;
INSERT INTO shop.net_created VALUES (1, '::', '0.0.0.0'), (2, '::ffff:1.2.3.4', '255.255.255.255'), (3, NULL, '8.8.8.8');
ALTER TABLE shop.net_created CHANGE `inet6` addr INET6 NULL DEFAULT '::2', MODIFY b INET6 NOT NULL;
INSERT INTO shop.net_created VALUES (4, '1::1', '::ffff:8.8.4.4');
UPDATE shop.net_created SET b = '::' WHERE id = 1;
