-- TypeCorpusIT: updates and deletes while the connector streams (after the second load of type-corpus-rows.sql).
SET SESSION time_zone = '+00:00';
-- A value becomes NULL in columns that have a default, and NULL becomes a value.
UPDATE shop.ty_defaults SET i = NULL, v = NULL, d = NULL, dt = NULL, e = NULL, bt = NULL, b1 = NULL, bo = NULL WHERE id = 5;
UPDATE shop.ty_defaults SET i = -1, v = 'set', ts = '2038-01-19 03:14:07', y = 2155 WHERE id = 4;
UPDATE shop.ty_int SET tinyint_s = NULL, bigint_u = 18446744073709551614, bigint_s_nn = -9223372036854775808 WHERE id = 6;
UPDATE shop.ty_bit SET b64 = b'0111111111111111111111111111111111111111111111111111111111111111', b1 = NULL WHERE id = 6;
UPDATE shop.ty_decimal SET d65_30 = '-12345678901234567890123456789012345.123456789012345678901234567890' WHERE id = 7;
-- Plain FLOAT with every digit of its single precision: exact through the binlog.
UPDATE shop.ty_float SET f7_5 = 30.12346, f = 30.12346 WHERE id = 10;
UPDATE shop.ty_float SET f = 3.4028234e38, f_u = 1.1754944e-38 WHERE id = 9;
UPDATE shop.ty_float SET f = -1.401298e-45 WHERE id = 8;
UPDATE shop.ty_temporal SET t6 = '-838:59:58.999999', dt6 = '2000-02-29 00:00:00.000001', ts6 = '2000-02-29 00:00:00.000001', y = 1999 WHERE id = 12;
UPDATE shop.ty_text SET vc_u4 = 'neu 🐙', c_l1 = 'ÄÖÜ', vc_nn = '' WHERE id = 6;
UPDATE shop.ty_binary SET b8 = X'00', vb = X'000000', lb = NULL WHERE id = 6;
UPDATE shop.ty_enum_set SET e = 'x\\y', s = 'x,z z' WHERE id = 7;
UPDATE shop.ty_json SET j = 'null', j2 = '{"added": [true, null]}' WHERE id = 6;
UPDATE shop.ty_spatial SET p = ST_GeomFromText('POINT(0 0)', 4326), g = NULL WHERE id = 4;
DELETE FROM shop.ty_int WHERE id = 7;
DELETE FROM shop.ty_text WHERE id = 7;
DELETE FROM shop.ty_spatial WHERE id = 5;
