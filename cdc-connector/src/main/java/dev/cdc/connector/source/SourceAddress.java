package dev.cdc.connector.source;

import dev.cdc.contract.ExitStatus;
import dev.cdc.contract.OperatorFailure;
import java.net.URI;

/** Host and port of the source, parsed from its {@code jdbc:mysql://host:port} URL. */
public record SourceAddress(String host, int port) {

    public static SourceAddress parse(String jdbcUrl) {
        if (jdbcUrl == null || !(jdbcUrl.startsWith("jdbc:mysql://") || jdbcUrl.startsWith("jdbc:mariadb://"))) {
            throw OperatorFailure.configuration("cdc.source.url '" + jdbcUrl + "' is not a MySQL/MariaDB JDBC URL", "use jdbc:mysql://host:3306");
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        if (uri.getHost() == null) {
            throw OperatorFailure.configuration("cdc.source.url '" + jdbcUrl + "' has no host", "use jdbc:mysql://host:3306");
        }
        return new SourceAddress(uri.getHost(), uri.getPort() < 0 ? 3306 : uri.getPort());
    }

    /** A URL for the checks' own JDBC connections: no database, short timeouts (TLS comes as connection properties). */
    public String checkUrl() {
        return "jdbc:mysql://" + host + ":" + port + "/?connectTimeout=5000&socketTimeout=30000&allowPublicKeyRetrieval=true";
    }
}
