-- Generated fixture of TypeCorpusIT: rows at the edges of each range, run once before the connector starts and once while it streams.
SET SESSION time_zone = '+00:00';
INSERT INTO shop.ty_mariadb (`u`, `u_nn`) VALUES ('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff');
INSERT INTO shop.ty_mariadb (`u`, `u_nn`) VALUES ('ffffffff-ffff-ffff-ffff-ffffffffffff', '123e4567-e89b-12d3-a456-426614174000');
INSERT INTO shop.ty_mariadb (`u`, `u_nn`) VALUES ('123e4567-e89b-12d3-a456-426614174000', '00000000-0000-0000-0000-000000000000');
INSERT INTO shop.ty_mariadb (`u`, `u_nn`) VALUES (NULL, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
