-- The user the connector reads the binlog with. ${CDC_PASSWORD} is replaced by whoever runs this file
-- (the local stack, or the docker init script) from the environment; no password lives in the repo.
-- REPLICATION CLIENT is named BINLOG MONITOR on MariaDB 10.5+ (the old name is accepted as an alias).
CREATE USER IF NOT EXISTS 'cdc'@'%' IDENTIFIED BY '${CDC_PASSWORD}';
CREATE USER IF NOT EXISTS 'cdc'@'localhost' IDENTIFIED BY '${CDC_PASSWORD}';
GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'cdc'@'%';
GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'cdc'@'localhost';
