package dev.cdc.offsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/** Reads the latest stored offsets ({@code cdc_offset}); for the inspection command and tests. */
public final class OffsetStoreReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private static final String BY_CONNECTOR = "SELECT partition_key, offset_value, epoch, committed_at FROM cdc_offset"
            + " WHERE connector_name = ? ORDER BY partition_key";
    private static final String CONNECTORS = "SELECT connector_name FROM cdc_offset UNION SELECT connector_name FROM cdc_lease ORDER BY 1";

    private final DataSource ds;

    public OffsetStoreReader(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /** The stored offsets of the connector, one per source partition, ordered by partition key. */
    public List<StoredOffset> offsets(String connector) {
        List<StoredOffset> offsets = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(BY_CONNECTOR)) {
                ps.setString(1, connector);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        offsets.add(new StoredOffset(connector, rs.getString(1), parseOffset(connector, rs.getString(2)), rs.getLong(3),
                                LeaseManager.instant(rs, 4)));
                    }
                }
            } finally {
                LeaseManager.endReadOnly(c);
            }
        } catch (SQLException e) {
            throw failure(connector, e);
        }
        return offsets;
    }

    /** True when the connector has schema history records (an engine needs them to decode events at a stored offset). */
    public boolean hasSchemaHistory(String connector) {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM cdc_schema_history WHERE connector_name = ? LIMIT 1")) {
                ps.setString(1, connector);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            } finally {
                LeaseManager.endReadOnly(c);
            }
        } catch (SQLException e) {
            throw failure(connector, e);
        }
    }

    /** The connectors that have offsets or a lease in the store. */
    public List<String> connectors() {
        List<String> names = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(CONNECTORS); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            } finally {
                LeaseManager.endReadOnly(c);
            }
        } catch (SQLException e) {
            throw failure("(all)", e);
        }
        return names;
    }

    /** Parses offset JSON (an object) into an ordered map. */
    public static Map<String, Object> parseOffset(String connector, String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Connector " + connector + ": stored offset is not a JSON object: " + json, e);
        }
    }

    static Map<String, Object> partitionOf(String key) {
        try {
            JsonNode node = JSON.readTree(key);
            if (node == null || !node.isArray() || node.size() != 2 || !node.get(1).isObject()) {
                return null;
            }
            return JSON.convertValue(node.get(1), MAP);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static StoreUnavailableException failure(String connector, SQLException e) {
        return new StoreUnavailableException("Connector " + connector + ": could not read offsets from the shared store ("
                + StorePools.firstLine(e.getMessage()) + ")", "check that the store is reachable", e);
    }
}
