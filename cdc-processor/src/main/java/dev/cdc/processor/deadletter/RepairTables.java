package dev.cdc.processor.deadletter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the repair tables ({@code cdc_dead_letter}, {@code cdc_stopped_partition}, {@code cdc_repair_request}) at startup. */
public final class RepairTables {

    public static final String DEAD_LETTER = "cdc_dead_letter";
    public static final String STOPPED_PARTITION = "cdc_stopped_partition";
    public static final String REQUEST = "cdc_repair_request";
    static final String DDL_RESOURCE = "/sql/cdc_repair.sql";

    private RepairTables() {
    }

    public static void create(Connection c) throws SQLException {
        for (String statement : statements()) {
            try (Statement st = c.createStatement()) {
                st.execute(statement);
            }
        }
    }

    static String[] statements() {
        try (InputStream in = RepairTables.class.getResourceAsStream(DDL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DDL_RESOURCE + " is missing from the classpath");
            }
            StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.stripLeading().startsWith("--")) {
                    sql.append(line).append('\n');
                }
            }
            return java.util.Arrays.stream(sql.toString().split(";")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
