-- The shared store: offsets, lease, offset log and schema history (tables created by Flyway, offsets/).
-- Excluded from capture by the connector's database filter.
CREATE DATABASE IF NOT EXISTS cdc_store;
CREATE USER IF NOT EXISTS 'cdc_store'@'%' IDENTIFIED BY '${STORE_PASSWORD}';
CREATE USER IF NOT EXISTS 'cdc_store'@'localhost' IDENTIFIED BY '${STORE_PASSWORD}';
GRANT ALL PRIVILEGES ON cdc_store.* TO 'cdc_store'@'%';
GRANT ALL PRIVILEGES ON cdc_store.* TO 'cdc_store'@'localhost';
