-- MariaDbNetworkTypesIT: changes after the connector restarted from its offset and schema history.
INSERT INTO shop.net_addr (id, a4, a4_nn, a6, a6_nn, u, note, a6_added, a4_added)
  VALUES (21, '0.0.0.1', '0.0.0.0', '::ffff:0.0.0.1', '::', '123e4567-e89b-12d3-a456-426614174000', 'after restart', '::', '0.0.0.0');
UPDATE shop.net_addr SET note = 'restarted' WHERE id IN (3, 13, 18);
UPDATE shop.net_by_uuid SET v = v + 100 WHERE u = '123e4567-e89b-12d3-a456-426614174000';
UPDATE shop.net_by_addr SET v = v + 100 WHERE addr = '::ffff:10.0.0.1';
INSERT INTO shop.net_created VALUES (5, '::', '::');
DELETE FROM shop.net_created WHERE id = 2;
