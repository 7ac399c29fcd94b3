-- TypeCorpusIT: changes of MariaDB's own types while the connector streams.
UPDATE shop.ty_mariadb SET u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', u_nn = '00000000-0000-0000-0000-000000000002' WHERE id = 5;
UPDATE shop.ty_mariadb SET u = NULL, u_nn = 'ffffffff-0000-0000-0000-00000000000f' WHERE id = 6;
DELETE FROM shop.ty_mariadb WHERE id = 7;
