package dev.cdc.connector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.connector.ConnectorHarness.Event;
import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.MySqlBinaries;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * {@link ConnectorStreamingIT} against MySQL (source and store): Debezium's MySQL connector, chosen from SELECT VERSION(),
 * takes the snapshot with MySQL's locking, streams with MySQL GTIDs and resumes after a restart.
 */
class MySqlConnectorStreamingIT extends ConnectorStreamingIT {

    @Override
    DatabaseKind kind() {
        Optional<String> unsupported = MySqlBinaries.whyUnsupported();
        unsupported.ifPresent(System.out::println);
        Assumptions.assumeTrue(unsupported.isEmpty(), unsupported.orElse(""));
        return DatabaseKind.MYSQL;
    }

    @Override
    void checkSourceSpecifics(Event change) {
        JsonNode source = change.value().get("source");
        assertTrue(source.get("gtid").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:\\d+"),
                "a MySQL GTID (server uuid:sequence): " + change.value());
        assertTrue(source.get("file").asText().startsWith("binlog."), change.value().toString());
    }
}
