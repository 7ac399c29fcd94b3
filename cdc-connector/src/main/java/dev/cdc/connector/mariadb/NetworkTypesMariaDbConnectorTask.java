package dev.cdc.connector.mariadb;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.connector.mariadb.MariaDbConnectorTask;
import io.debezium.connector.mariadb.MariaDbOffsetContext;
import io.debezium.connector.mariadb.MariaDbPartition;
import io.debezium.function.LogPositionValidator;
import io.debezium.pipeline.spi.Offsets;
import io.debezium.schema.DatabaseSchema;
import io.debezium.spi.snapshot.Snapshotter;

/**
 * Debezium's MariaDB task with {@link NetworkTypeDdlParser} installed. The schema-history check is the first step of
 * the task's start that is given the new schema, and it runs before the history is recovered and before the snapshot
 * or the binlog reader parses any statement.
 */
public class NetworkTypesMariaDbConnectorTask extends MariaDbConnectorTask {

    @Override
    protected void validateSchemaHistory(CommonConnectorConfig config, LogPositionValidator logPositionValidator,
                                         Offsets<MariaDbPartition, MariaDbOffsetContext> previousOffsets, DatabaseSchema schema,
                                         Snapshotter snapshotter) {
        NetworkTypeDdlParser.install(schema);
        super.validateSchemaHistory(config, logPositionValidator, previousOffsets, schema, snapshotter);
    }
}
