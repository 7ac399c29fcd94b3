package dev.cdc.processor.apply;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Column types as the target can hold them. A MariaDB target takes every source type as it is; a MySQL target lacks
 * MariaDB's INET4, INET6 and UUID and gets their text form instead ({@link MySqlTypeSubstitutes}), with one WARN per
 * target table and column, so that the change is never silent. Which server the target is, is read once.
 */
@Singleton
public class TargetTypes {

    private static final Logger log = LoggerFactory.getLogger(TargetTypes.class);

    private final DataSource dataSource;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile Boolean mySql;

    public TargetTypes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The column type to create for an event's {@code sql_type} in {@code table}. */
    public String columnType(String table, String column, String sqlType) throws SQLException {
        String substitute = isMySql() ? MySqlTypeSubstitutes.forColumnType(sqlType) : null;
        if (substitute == null) {
            return sqlType;
        }
        warn(table, column, sqlType.trim().toUpperCase(Locale.ROOT), substitute);
        return substitute;
    }

    /** The source's CREATE TABLE or ALTER TABLE statement for {@code table}, with the target's column types. */
    public String statement(String table, String ddl) throws SQLException {
        if (!isMySql()) {
            return ddl;
        }
        MySqlTypeSubstitutes.Statement statement = MySqlTypeSubstitutes.inStatement(ddl);
        for (MySqlTypeSubstitutes.Substitution s : statement.substitutions()) {
            warn(table, s.column(), s.sourceType(), s.targetType());
        }
        return statement.sql();
    }

    private void warn(String table, String column, String sourceType, String targetType) {
        if (warned.add(table + "\u0000" + column.toLowerCase(Locale.ROOT))) {
            log.warn("Target table `{}` column `{}`: MySQL has no {} type; the column is {} and holds the value's text form "
                    + "(docs/event-format.md, \"What a target cannot hold\"). Use a MariaDB target to keep the type.", table, column, sourceType, targetType);
        }
    }

    private boolean isMySql() throws SQLException {
        Boolean known = mySql;
        if (known == null) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
                known = !(rs.next() && rs.getString(1) != null && rs.getString(1).toLowerCase(Locale.ROOT).contains("mariadb"));
            }
            mySql = known;
        }
        return known;
    }
}
