-- Generated fixture of TypeCorpusIT: rows at the edges of each range, run once before the connector starts and once while it streams.
SET SESSION time_zone = '+00:00';
SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';
INSERT INTO shop.ty_zero_dates (`d`, `dt0`, `dt3`, `dt6`, `ts0`, `ts6`, `d_dflt`) VALUES ('0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 0, '0000-00-00');
INSERT INTO shop.ty_zero_dates (`d`, `dt0`, `dt3`, `dt6`, `ts0`, `ts6`, `d_dflt`) VALUES ('0001-01-01', '0001-01-01 00:00:00', '1000-01-01 00:00:00.001', '9999-12-31 23:59:59.999999', '1970-01-01 00:00:01', '2038-01-19 03:14:07.999999', '9999-12-31');
INSERT INTO shop.ty_zero_dates (`d`, `dt0`, `dt3`, `dt6`, `ts0`, `ts6`, `d_dflt`) VALUES ('2024-02-29', '2024-02-29 12:00:00', '0000-00-00 00:00:00', '2024-02-29 12:00:00.5', '2024-02-29 12:00:00', '0000-00-00 00:00:00', '0000-00-00');
SET SESSION sql_mode = DEFAULT;
