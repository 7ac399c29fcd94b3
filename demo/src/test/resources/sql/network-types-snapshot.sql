-- MariaDbNetworkTypesIT: rows before the connector starts (read by the snapshot). Edge values: all zero bits (the binlog
-- carries no byte of them), all one bits, IPv4-mapped and IPv4-compatible IPv6, values ending in zero bytes.
INSERT INTO shop.net_addr VALUES
  (1, '0.0.0.0', '0.0.0.0', '::', '::', '00000000-0000-0000-0000-000000000000', 'zeros'),
  (2, '255.255.255.255', '255.255.255.255', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'ffffffff-ffff-ffff-ffff-ffffffffffff', 'ones'),
  (3, '10.0.0.1', '1.0.0.0', '::ffff:10.0.0.1', '::ffff:0.0.0.0', '123e4567-e89b-12d3-a456-426614174000', 'mapped'),
  (4, NULL, '127.0.0.1', NULL, '::1', NULL, 'nulls'),
  (5, '192.168.0.0', '10.0.0.0', '2001:db8::', '1::', 'ffffffff-ffff-ffff-ffff-ffffffffff00', 'trailing zeros'),
  (6, '1.2.3.4', '4.3.2.1', '::1.2.3.4', 'fe80::1:0:0:0', '6ccd780c-baba-1026-9564-5b8c656024db', 'compatible');
INSERT INTO shop.net_by_addr VALUES ('::', 1, 1), ('::ffff:10.0.0.1', 2, 2), ('2001:db8::', 3, 3), ('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 4, 4);
INSERT INTO shop.net_by_uuid VALUES ('123e4567-e89b-12d3-a456-426614174000', 1, 1), ('00000000-0000-0000-0000-000000000000', 2, 2),
  ('ffffffff-ffff-ffff-ffff-ffffffffff00', 3, 3), ('6ccd780c-baba-1026-9564-5b8c656024db', 4, 4);
