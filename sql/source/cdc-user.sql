-- The user the connector reads the binlog with. ${CDC_PASSWORD} is replaced by whoever runs this file
-- (the local stack, or the docker init script) from the environment; no password lives in the repo.
-- REPLICATION CLIENT is named BINLOG MONITOR on MariaDB 10.5+ (the old name is accepted as an alias).
CREATE USER IF NOT EXISTS 'cdc'@'%' IDENTIFIED BY '${CDC_PASSWORD}';
CREATE USER IF NOT EXISTS 'cdc'@'localhost' IDENTIFIED BY '${CDC_PASSWORD}';
GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'cdc'@'%';
GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'cdc'@'localhost';
-- The connector's signal table (cdc.snapshot.signal-table): an incremental snapshot is started by a row here, and
-- Debezium marks each chunk's window with rows here, so the connector user needs INSERT on it (and only on it).
CREATE DATABASE IF NOT EXISTS cdc_signal;
CREATE TABLE IF NOT EXISTS cdc_signal.debezium_signal (id VARCHAR(64) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(4096) NULL);
GRANT SELECT, INSERT ON cdc_signal.debezium_signal TO 'cdc'@'%';
GRANT SELECT, INSERT ON cdc_signal.debezium_signal TO 'cdc'@'localhost';
