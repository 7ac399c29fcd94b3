package dev.cdc.connector.mariadb;

import io.debezium.connector.mariadb.MariaDbConnector;
import org.apache.kafka.connect.connector.Task;

/** Debezium's MariaDB connector whose task reads tables with INET4/INET6 columns ({@link NetworkTypeDdlParser}). */
public class NetworkTypesMariaDbConnector extends MariaDbConnector {

    @Override
    public Class<? extends Task> taskClass() {
        return NetworkTypesMariaDbConnectorTask.class;
    }
}
