package dev.cdc.offsets.cli;

import dev.cdc.offsets.SharedStore;
import dev.cdc.offsets.StoreConfig;
import dev.cdc.offsets.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The shared store as the CLI sees it: connected without migrating anything, with the database clock at hand (lease
 * expiry is judged by {@code NOW(3)} of the store, never by this machine's clock).
 */
final class StoreView implements AutoCloseable {

    /** A lease as of the store's clock: {@code live} when {@code expires_at > NOW(3)}. */
    record LeaseView(String owner, long epoch, Instant expiresAt, Instant acquiredAt, Instant renewedAt, boolean live, long expiresInMs) {

        /** "a (epoch 3, lease expires in 1520 ms)" or "no leader (last: a, epoch 3, lease expired 12 s ago)". */
        String describe() {
            if (live) {
                return owner + " (epoch " + epoch + ", lease expires in " + expiresInMs + " ms)";
            }
            return "no leader (last: " + owner + ", epoch " + epoch + ", lease expired " + Text.duration(Duration.ofMillis(-expiresInMs)) + " ago)";
        }
    }

    /** The lease with its liveness and remaining time by the store's clock (one NOW(3) for both). */
    static final String LEASE = "SELECT owner_id, epoch, expires_at, acquired_at, renewed_at, expires_at > NOW(3),"
            + " TIMESTAMPDIFF(MICROSECOND, NOW(3), expires_at) FROM cdc_lease WHERE connector_name = ?";

    private static final String CONNECTORS = "SELECT connector_name FROM cdc_offset UNION SELECT connector_name FROM cdc_lease"
            + " UNION SELECT DISTINCT connector_name FROM cdc_offset_log ORDER BY 1";

    private final SharedStore store;

    private StoreView(SharedStore store) {
        this.store = store;
    }

    static StoreView open(StoreConfig config) {
        try {
            return new StoreView(SharedStore.connect(config));
        } catch (StoreUnavailableException e) {
            throw unreachable(e);
        }
    }

    /** The store's failure, its fix naming the CLI's own flags. */
    static CliException unreachable(StoreUnavailableException e) {
        String fix = e.fix().replace(StoreConfig.URL, "--store-url (" + Settings.ENV_STORE_URL + ", " + StoreConfig.URL + ")")
                .replace(StoreConfig.USER, "--store-user")
                .replace(StoreConfig.PASSWORD, "the store password (" + Settings.ENV_STORE_PASSWORD + " or --store-password-file)");
        return CliException.unreachable(e.what(), fix, e);
    }

    DataSource dataSource() {
        return store.dataSource();
    }

    StoreConfig config() {
        return store.config();
    }

    /** Every connector with offsets, a lease or offset log rows. */
    List<String> connectors() {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CONNECTORS)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw readFailure(e);
        }
        return names;
    }

    /**
     * The connector a command works on: the given name, which must be known to the store, or, with none given, the
     * only connector in the store.
     */
    String requireConnector(String name) {
        List<String> known = connectors();
        if (name == null) {
            if (known.size() == 1) {
                return known.get(0);
            }
            throw CliException.usage(known.isEmpty() ? "The store has no connectors yet" : "No connector named; the store has " + String.join(", ", known),
                    known.isEmpty() ? "start a connector first, or check --store-url" : "name one with --connector (or CDC_NAME, or cdc.name in --config)");
        }
        if (!known.contains(name)) {
            throw unknown(name, known);
        }
        return name;
    }

    static CliException unknown(String name, List<String> known) {
        return CliException.usage("Unknown connector '" + name + "' in the store",
                known.isEmpty() ? "the store has no connectors yet: check --store-url and the name" : "known connectors: " + String.join(", ", known));
    }

    /** The store's clock (UTC). */
    Instant now() {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NOW(3)")) {
            rs.next();
            return utc(rs, 1);
        } catch (SQLException e) {
            throw readFailure(e);
        }
    }

    /** The connector's lease row, judged by the store's clock in the same query. */
    Optional<LeaseView> lease(String connector) {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(LEASE)) {
            ps.setString(1, connector);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(leaseView(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw readFailure(e);
        }
    }

    /** Reads a row of {@link #LEASE} (or of the same columns selected FOR UPDATE). */
    static LeaseView leaseView(ResultSet rs) throws SQLException {
        return new LeaseView(rs.getString(1), rs.getLong(2), utc(rs, 3), utc(rs, 4), utc(rs, 5), rs.getBoolean(6), rs.getLong(7) / 1_000);
    }

    static Instant utc(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    CliException readFailure(SQLException e) {
        return CliException.unreachable("Could not read the shared store " + config().safeUrl() + " (" + Text.rootCause(e) + ")",
                "check that the store is reachable", e);
    }

    @Override
    public void close() {
        store.close();
    }
}
