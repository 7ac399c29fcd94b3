package dev.cdc.offsets;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store (a MySQL-compatible database): a small connection pool and the schema, migrated by Flyway from
 * {@code classpath:db/store} when the store is opened. The lease, the offset log and the readers work on
 * {@link #dataSource()}; the fenced Debezium stores open their own tiny pools from the same {@link StoreConfig}.
 */
public final class SharedStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SharedStore.class);

    /** The pool serves the lease loop, the inspection command and housekeeping: a few connections are plenty. */
    public static final int MAX_POOL_SIZE = 4;
    public static final String MIGRATIONS = "classpath:db/store";

    private final StoreConfig config;
    private final HikariDataSource dataSource;

    private SharedStore(StoreConfig config, HikariDataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource;
    }

    /**
     * Connects and brings the schema up to date.
     *
     * @throws StoreUnavailableException (one line, no password) when the store cannot be reached, refuses the login,
     *     or the schema cannot be migrated
     */
    public static SharedStore open(StoreConfig cfg) {
        HikariDataSource ds = StorePools.open(cfg, "cdc-store", MAX_POOL_SIZE, true);
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(ds)
                    .locations(MIGRATIONS)
                    .loggers("slf4j")
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                log.info("Shared store {}: applied {} migration(s), schema now at version {}", cfg.safeUrl(), result.migrationsExecuted,
                        result.targetSchemaVersion);
            }
            return new SharedStore(cfg, ds);
        } catch (FlywayException e) {
            ds.close();
            if (StorePools.isConnectionOrAccessFailure(e)) {
                throw StorePools.unavailable(cfg, e);
            }
            throw new StoreUnavailableException("Shared store " + cfg.safeUrl() + ": schema migration failed ("
                    + StorePools.firstLine(e.getMessage()) + ")", "check that user " + cfg.user()
                    + " owns the store database and that no other schema version was applied", e);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /**
     * Connects to a store whose schema is already there, without migrating anything: for the inspection command,
     * which must not change a store it only looks at (or one it was pointed at by mistake).
     *
     * @throws StoreUnavailableException (one line, no password) when the store cannot be reached, refuses the login,
     *     or has no CDC tables
     */
    public static SharedStore connect(StoreConfig cfg) {
        HikariDataSource ds = StorePools.open(cfg, "cdc-store", MAX_POOL_SIZE, true);
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1 FROM cdc_lease, cdc_offset, cdc_offset_log, cdc_schema_history LIMIT 0").close();
            return new SharedStore(cfg, ds);
        } catch (java.sql.SQLException e) {
            ds.close();
            if (StorePools.isConnectionOrAccessFailure(e)) {
                throw StorePools.unavailable(cfg, e);
            }
            throw new StoreUnavailableException("Shared store " + cfg.safeUrl() + " has no CDC tables (" + StorePools.firstLine(e.getMessage())
                    + ")", "check " + StoreConfig.URL + " names the store database (a connector creates the tables when it first starts)", e);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public StoreConfig config() {
        return config;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    @Override
    public String toString() {
        return "SharedStore[" + config.safeUrl() + "]";
    }
}
