-- The processor's target database. It creates tables and adds columns itself, from the events' column metadata.
CREATE DATABASE IF NOT EXISTS cdc_target;
CREATE USER IF NOT EXISTS 'cdc_target'@'%' IDENTIFIED BY '${TARGET_PASSWORD}';
CREATE USER IF NOT EXISTS 'cdc_target'@'localhost' IDENTIFIED BY '${TARGET_PASSWORD}';
GRANT ALL PRIVILEGES ON cdc_target.* TO 'cdc_target'@'%';
GRANT ALL PRIVILEGES ON cdc_target.* TO 'cdc_target'@'localhost';
