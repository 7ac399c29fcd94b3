-- TypeCorpusIT: zero dates set and cleared while the connector streams.
SET SESSION time_zone = '+00:00';
SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';
UPDATE shop.ty_zero_dates SET d = '0000-00-00', dt6 = '0000-00-00 00:00:00', ts0 = 0 WHERE id = 5;
UPDATE shop.ty_zero_dates SET d = '2000-01-01', dt0 = '2000-01-01 00:00:01', ts6 = '2000-01-01 00:00:00.000001' WHERE id = 4;
SET SESSION sql_mode = DEFAULT;
