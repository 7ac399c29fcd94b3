package dev.cdc.offsets;

import com.zaxxer.hikari.HikariDataSource;
import io.debezium.config.Configuration;
import io.debezium.config.Field;
import io.debezium.document.DocumentReader;
import io.debezium.document.DocumentWriter;
import io.debezium.relational.history.AbstractSchemaHistory;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistory;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Debezium's schema history, kept in the shared store ({@code cdc_schema_history}) and fenced by the lease epoch
 * exactly like the offsets (docs/design.md, invariant 3; owner and epoch): each record is appended with the connector's next sequence
 * number in one transaction that first locks the lease row and checks the writer's epoch. A refused record is not
 * stored; Debezium gets a {@link SchemaHistoryException} whose cause is the {@link FencingException}, which stops the
 * engine. Records are stored as Debezium's document JSON and replayed in sequence order.
 *
 * <p>Settings, from the connector configuration given to {@code configure}: {@link #STORE_URL}, {@link #STORE_USER},
 * {@link #STORE_PASSWORD}, {@link #CONNECTOR_NAME}, {@link #OWNER_ID}, {@link #LEASE_EPOCH}, and the store's TLS settings
 * ({@link DatabaseTls}).
 */
public class FencedSchemaHistory extends AbstractSchemaHistory {

    static final String PREFIX = SchemaHistory.CONFIGURATION_FIELD_PREFIX_STRING;

    public static final Field STORE_URL = Field.create(PREFIX + StoreConfig.URL)
            .withDisplayName("Shared store JDBC URL").withType(ConfigDef.Type.STRING).withImportance(ConfigDef.Importance.HIGH)
            .withDescription("JDBC URL of the shared store database, e.g. jdbc:mysql://host:3306/cdc_store").required();
    public static final Field STORE_USER = Field.create(PREFIX + StoreConfig.USER)
            .withDisplayName("Shared store user").withType(ConfigDef.Type.STRING).withImportance(ConfigDef.Importance.HIGH)
            .withDescription("User of the shared store database").required();
    public static final Field STORE_PASSWORD = Field.create(PREFIX + StoreConfig.PASSWORD)
            .withDisplayName("Shared store password").withType(ConfigDef.Type.PASSWORD).withImportance(ConfigDef.Importance.HIGH)
            .withDescription("Password of the shared store user");
    public static final Field CONNECTOR_NAME = Field.create(PREFIX + FencedOffsetBackingStore.CONNECTOR_NAME)
            .withDisplayName("Connector name").withType(ConfigDef.Type.STRING).withImportance(ConfigDef.Importance.HIGH)
            .withDescription("The connector whose lease fences the writes; also the connector_name of the history rows").required();
    public static final Field OWNER_ID = Field.create(PREFIX + FencedOffsetBackingStore.OWNER_ID)
            .withDisplayName("Owner id").withType(ConfigDef.Type.STRING).withImportance(ConfigDef.Importance.HIGH)
            .withDescription("This instance: the fence accepts a write only while the lease is this owner's at the lease epoch").required();
    public static final Field LEASE_EPOCH = Field.create(PREFIX + FencedOffsetBackingStore.LEASE_EPOCH)
            .withDisplayName("Lease epoch").withType(ConfigDef.Type.LONG).withImportance(ConfigDef.Importance.HIGH)
            .withDescription("The lease epoch under which this engine runs").required();

    static final int MAX_POOL_SIZE = 2;

    private static final String APPEND = "INSERT INTO cdc_schema_history (connector_name, seq, record, epoch)"
            + " SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ? FROM cdc_schema_history WHERE connector_name = ?";
    private static final String REPLAY = "SELECT seq, record FROM cdc_schema_history WHERE connector_name = ? ORDER BY seq";
    private static final String ANY = "SELECT 1 FROM cdc_schema_history WHERE connector_name = ? LIMIT 1";

    private final DocumentWriter writer = DocumentWriter.defaultWriter();
    private final DocumentReader reader = DocumentReader.defaultReader();

    private StoreConfig store;
    private String connectorName;
    private String ownerId;
    private long epoch;
    private volatile HikariDataSource pool;
    private volatile FencingException fenced;

    @Override
    public void configure(Configuration config, HistoryRecordComparator comparator, SchemaHistoryListener listener, boolean useCatalogBeforeSchema) {
        super.configure(config, comparator, listener, useCatalogBeforeSchema);
        DatabaseTls tls;
        try {
            tls = DatabaseTls.fromSettings(config.asMap(), PREFIX + StoreConfig.PREFIX);
        } catch (IllegalArgumentException e) {
            throw new SchemaHistoryException(e.getMessage());
        }
        this.store = new StoreConfig(required(config, STORE_URL), required(config, STORE_USER), config.getString(STORE_PASSWORD), tls);
        this.connectorName = required(config, CONNECTOR_NAME);
        this.ownerId = required(config, OWNER_ID);
        String epochText = required(config, LEASE_EPOCH);
        try {
            this.epoch = Long.parseLong(epochText.trim());
        } catch (NumberFormatException e) {
            throw new SchemaHistoryException("Setting " + LEASE_EPOCH.name() + " must be a whole number, got '" + epochText + "'");
        }
    }

    @Override
    public synchronized void start() {
        super.start();
        pool();
    }

    @Override
    public synchronized void stop() {
        HikariDataSource p = pool;
        pool = null;
        if (p != null) {
            p.close();
        }
        super.stop();
    }

    @Override
    protected void storeRecord(HistoryRecord record) throws SchemaHistoryException {
        if (fenced != null) {
            throw new SchemaHistoryException(fenced.getMessage(), fenced);
        }
        String json;
        try {
            json = writer.write(record.document());
        } catch (IOException e) {
            throw new SchemaHistoryException("Connector " + connectorName + ": could not serialise a schema history record", e);
        }
        try (Connection c = pool().getConnection(); IdleTransactionLimit limit = IdleTransactionLimit.on(c)) {
            try {
                Fence.check(c, connectorName, ownerId, epoch);
                try (PreparedStatement ps = c.prepareStatement(APPEND)) {
                    ps.setString(1, connectorName);
                    ps.setString(2, json);
                    ps.setLong(3, epoch);
                    ps.setString(4, connectorName);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (FencingException e) {
                StorePools.rollbackQuietly(c, e);
                fenced = e;
                logger.error("Connector {}: schema history record refused, nothing written. {}", connectorName, e.getMessage());
                FencingEvents.publish(e);
                throw new SchemaHistoryException(e.getMessage(), e);
            } catch (SQLException | RuntimeException e) {
                StorePools.rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new SchemaHistoryException("Connector " + connectorName + ": could not store a schema history record in " + store.safeUrl()
                    + " (" + StorePools.firstLine(e.getMessage()) + "): check that the store is reachable", e);
        }
    }

    @Override
    protected void recoverRecords(Consumer<HistoryRecord> records) throws InterruptedException {
        try (Connection c = pool().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(REPLAY)) {
                ps.setString(1, connectorName);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (Thread.interrupted()) {
                            throw new InterruptedException("Recovery of the schema history of connector " + connectorName + " was interrupted");
                        }
                        long seq = rs.getLong(1);
                        try {
                            records.accept(new HistoryRecord(reader.read(rs.getString(2))));
                        } catch (IOException e) {
                            throw new SchemaHistoryException("Connector " + connectorName + ": schema history record " + seq
                                    + " is not valid JSON (" + StorePools.firstLine(e.getMessage()) + ")", e);
                        }
                    }
                }
            } finally {
                c.commit();
            }
        } catch (SQLException e) {
            throw new SchemaHistoryException("Connector " + connectorName + ": could not read the schema history from " + store.safeUrl()
                    + " (" + StorePools.firstLine(e.getMessage()) + "): check that the store is reachable", e);
        }
    }

    /** True when the connector has at least one stored record. */
    @Override
    public boolean exists() {
        try (Connection c = pool().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(ANY)) {
                ps.setString(1, connectorName);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            } finally {
                c.commit();
            }
        } catch (SQLException e) {
            throw new SchemaHistoryException("Connector " + connectorName + ": could not read the schema history from " + store.safeUrl()
                    + " (" + StorePools.firstLine(e.getMessage()) + "): check that the store is reachable", e);
        }
    }

    /** The table is created by the store's migrations (SharedStore.open), before any engine starts. */
    @Override
    public boolean storageExists() {
        return true;
    }

    @Override
    public void initializeStorage() {
        // Nothing to create: see storageExists().
    }

    /** The refusal that fenced this history, or null while its writes are accepted. */
    public FencingException fenced() {
        return fenced;
    }

    @Override
    public String toString() {
        return "FencedSchemaHistory[" + connectorName + ", owner " + ownerId + ", epoch " + epoch + ", " + (store == null ? "unconfigured" : store.safeUrl()) + "]";
    }

    private synchronized HikariDataSource pool() {
        if (pool == null) {
            if (store == null) {
                throw new IllegalStateException("FencedSchemaHistory is not configured");
            }
            try {
                pool = StorePools.open(store, "cdc-history-" + connectorName, MAX_POOL_SIZE, false);
            } catch (StoreUnavailableException e) {
                throw new SchemaHistoryException(e.getMessage(), e);
            }
        }
        return pool;
    }

    private static String required(Configuration config, Field field) {
        String value = config.getString(field);
        if (value == null || value.isBlank()) {
            throw new SchemaHistoryException("Missing setting " + field.name() + " for " + FencedSchemaHistory.class.getSimpleName()
                    + ": the connector must pass it with the Debezium properties");
        }
        return value.trim();
    }
}
