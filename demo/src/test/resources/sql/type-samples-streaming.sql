-- The same kinds of values again, this time through the binlog (streaming), plus updates to and from NULL.
INSERT INTO shop.type_samples VALUES
  (11, 127, 255, 32767, 8388607, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,
   12345678.123456, 1.5, 2.718281828459045, '2024-02-29', '2024-02-29 23:59:59.123456', '2024-02-29 12:00:00.5',
   '23:59:59', '101:02:03.456789', 2024, 'xyz', 'emoji 👩‍💻 and ümlauts', 'text\nwith\nnewlines',
   X'0102030405', X'FF', '{"nested": {"list": [1, {"deep": "yes"}]}, "n": -1.5e3}', 'green', 'a,b,c', b'1'),
  (12, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE shop.type_samples SET t_varchar = NULL, t_json = NULL, t_blob = NULL, t_dt = NULL, t_bit = NULL WHERE id = 1;
UPDATE shop.type_samples SET t_varchar = 'now set 🙂', t_json = '"a json string"', t_blob = X'AB', t_dt = '2000-01-01 00:00:00.000001',
  t_bit = b'1', t_big_u = 18446744073709551615, t_dec = 0.000001 WHERE id = 3;
DELETE FROM shop.type_samples WHERE id = 2;
