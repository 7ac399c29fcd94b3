package dev.cdc.processor.health;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.net.URI;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * /health for the target database, in place of Micronaut's JDBC indicator (endpoints.health.jdbc.enabled: false),
 * which names the result by the full JDBC URL: a URL may carry a password or a trust store password. This one shows
 * only host, port and database; a failure is one line (SQL state and message), never a stack trace.
 */
@Singleton
public class TargetDatabaseHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private static final int VALID_TIMEOUT_SECONDS = 3;

    private final DataSource dataSource;

    public TargetDatabaseHealthIndicator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            details.put("database", address(meta.getURL()));
            details.put("product", meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
            if (!c.isValid(VALID_TIMEOUT_SECONDS)) {
                healthStatus = HealthStatus.DOWN;
                details.put("error", "connection not valid");
                return details;
            }
            healthStatus = HealthStatus.UP;
        } catch (SQLException e) {
            healthStatus = HealthStatus.DOWN;
            details.put("error", "SQL state " + e.getSQLState() + ": " + firstLine(e.getMessage()));
        }
        return details;
    }

    @Override
    protected String getName() {
        return "targetDatabase";
    }

    /** host:port/database of a jdbc:mysql URL, without user info or parameters. */
    static String address(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            return "unknown";
        }
        try {
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            String path = uri.getPath() == null ? "" : uri.getPath();
            return uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
        } catch (IllegalArgumentException e) {
            return "unparsable URL";
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl).strip();
    }
}
