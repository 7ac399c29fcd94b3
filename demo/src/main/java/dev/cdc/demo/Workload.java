package dev.cdc.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Inserts, updates and deletes on the demo schema at a bounded rate, each statement changing exactly one
 * row, and counts the row changes it committed (what the target must end up having applied once each).
 */
public final class Workload {

    private final Connection connection;
    private final Random random;
    private final List<Long> customers = new ArrayList<>();
    private long inserts;
    private long updates;
    private long deletes;

    public Workload(Connection connection, long seed) throws SQLException {
        this.connection = connection;
        this.random = new Random(seed);
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM shop.customers")) {
            while (rs.next()) {
                customers.add(rs.getLong(1));
            }
        }
    }

    /** Runs {@code operations} single-row changes at about {@code perSecond}; autocommit, one transaction each. */
    public void run(int operations, int perSecond) throws SQLException {
        long interval = TimeUnit.SECONDS.toNanos(1) / Math.max(1, perSecond);
        long next = System.nanoTime();
        for (int i = 0; i < operations; i++) {
            step();
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                AppProcess.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
            }
        }
    }

    private void step() throws SQLException {
        int dice = random.nextInt(100);
        if (customers.size() < 5 || dice < 45) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO shop.customers (email, name, balance, created_at) VALUES (?, ?, ?, NOW(6))", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "user" + System.nanoTime() + "-" + random.nextInt(1_000_000) + "@example.com");
                ps.setString(2, "User " + random.nextInt(10_000) + (random.nextBoolean() ? " ✓" : ""));
                ps.setBigDecimal(3, java.math.BigDecimal.valueOf(random.nextInt(1_000_000), 2));
                inserts += ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    customers.add(keys.getLong(1));
                }
            }
        } else if (dice < 85) {
            long id = customers.get(random.nextInt(customers.size()));
            try (PreparedStatement ps = connection.prepareStatement("UPDATE shop.customers SET balance = balance + 1.25, name = ? WHERE id = ?")) {
                ps.setString(1, "Updated " + random.nextInt(10_000));
                ps.setLong(2, id);
                updates += ps.executeUpdate();
            }
        } else {
            long id = customers.remove(random.nextInt(customers.size()));
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM shop.customers WHERE id = ?")) {
                ps.setLong(1, id);
                deletes += ps.executeUpdate();
            }
        }
    }

    public long inserts() {
        return inserts;
    }

    public long updates() {
        return updates;
    }

    public long deletes() {
        return deletes;
    }

    public long rowChanges() {
        return inserts + updates + deletes;
    }
}
