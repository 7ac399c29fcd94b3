-- TypeCorpusIT: changes of MariaDB's own types while the connector streams.
UPDATE shop.ty_mariadb SET i4 = '1.2.3.4', i6 = NULL, u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' WHERE id = 6;
DELETE FROM shop.ty_mariadb WHERE id = 7;
