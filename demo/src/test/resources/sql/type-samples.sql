-- Every column type the event format promises to carry faithfully, with edge values and NULLs.
CREATE TABLE shop.type_samples (
  id         INT NOT NULL PRIMARY KEY,
  t_tiny     TINYINT,
  t_tiny_u   TINYINT UNSIGNED,
  t_small    SMALLINT,
  t_medium   MEDIUMINT,
  t_int      INT,
  t_int_u    INT UNSIGNED,
  t_big      BIGINT,
  t_big_u    BIGINT UNSIGNED,
  t_dec      DECIMAL(20,6),
  t_float    FLOAT,
  t_double   DOUBLE,
  t_date     DATE,
  t_dt       DATETIME(6),
  t_ts       TIMESTAMP(3) NULL DEFAULT NULL,
  t_time     TIME,
  t_time6    TIME(6),
  t_year     YEAR,
  t_char     CHAR(3),
  t_varchar  VARCHAR(100) CHARACTER SET utf8mb4,
  t_text     TEXT CHARACTER SET utf8mb4,
  t_blob     BLOB,
  t_varbin   VARBINARY(32),
  t_json     JSON,
  t_enum     ENUM('red','green','blue'),
  t_set      SET('a','b','c'),
  t_bit      BIT(1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Snapshot rows: maxima, minima, all NULL.
INSERT INTO shop.type_samples VALUES
  (1, 127, 255, 32767, 8388607, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,
   99999999999999.999999, 1.5, 123456.789012345, '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999',
   '838:59:59', '-838:59:59.000000', 2155, 'abc', 'Grüße, 世界 🎉🚀', REPEAT('long text 🙂 ', 200),
   X'00FF10203040', X'DEADBEEF00', '{"a": [1, 2.5, "x"], "b": {"c": null}, "d": true}', 'blue', 'a,c', b'1'),
  (2, -128, 0, -32768, -8388608, -2147483648, 0, -9223372036854775808, 0,
   -99999999999999.999999, -2.25, -1.0E-10, '1000-01-01', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000',
   '-838:59:59', '00:00:00.000001', 1901, '', '', '', X'', X'', '[]', 'red', '', b'0'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
