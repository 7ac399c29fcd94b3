package dev.cdc.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Transactions over several tables of the demo schema plus the chaos tables (sql/chaos-schema.sql), at a bounded
 * rate, on its own thread: an order with its lines, the customer's balance, the products' stock and a ledger entry
 * in one transaction; payments; cancellations (lines, order, refund, ledger entry in one transaction); changes to
 * the keyless {@code ledger} alone (multi-row updates, single-row deletes, exact duplicate rows); new customers; and,
 * every {@code bulkEvery}, one statement that moves the primary key of every row of {@code moving_keys}.
 * {@link #pause()} returns once no transaction is open, so the caller can compare source and target.
 */
public final class MixedWorkload implements AutoCloseable {

    private static final int ACCOUNTS = 12;
    private static final long KEY_SHIFT = 1_000_000;

    private record Order(long id, long customer, BigDecimal total) {
    }

    private final Connection connection;
    private final Random random;
    private final int perSecond;
    private final Duration bulkEvery;
    private final long maxTransactions;
    private final List<Long> customers = new ArrayList<>();
    private final List<String> skus = new ArrayList<>();
    private final List<Order> openOrders = new ArrayList<>();
    private final ReentrantLock inTransaction = new ReentrantLock();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean paused;
    private volatile boolean stopped;
    private volatile long transactions;
    private volatile long orders;
    private volatile long ledgerOnly;
    private volatile long bulkMoves;
    private volatile long rowsMoved;

    /**
     * @param connection      a source connection of its own (the workload switches it to manual commit)
     * @param maxTransactions the workload stops by itself after this many transactions
     */
    public MixedWorkload(Connection connection, long seed, int perSecond, Duration bulkEvery, long maxTransactions) throws SQLException {
        this.connection = connection;
        this.random = new Random(seed);
        this.perSecond = Math.max(1, perSecond);
        this.bulkEvery = bulkEvery;
        this.maxTransactions = maxTransactions;
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT id FROM shop.customers")) {
                while (rs.next()) {
                    customers.add(rs.getLong(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT sku FROM shop.products")) {
                while (rs.next()) {
                    skus.add(rs.getString(1));
                }
            }
        }
        if (customers.isEmpty() || skus.isEmpty()) {
            throw new IllegalStateException("The mixed workload needs the demo rows: load sql/source/demo-data.sql first");
        }
        connection.setAutoCommit(false);
        this.thread = new Thread(this::loop, "mixed-workload");
    }

    public MixedWorkload start() {
        thread.start();
        return this;
    }

    /** Stops starting transactions; returns when none is open any more. */
    public void pause() {
        paused = true;
        inTransaction.lock();
        inTransaction.unlock();
    }

    public void resume() {
        paused = false;
    }

    /** Ends the workload thread and closes its connection; rethrows what made it stop early, if anything did. */
    @Override
    public void close() throws Exception {
        stopped = true;
        thread.join();
        connection.close();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** What made the workload stop early, or null while it runs (or ran) fine. */
    public Exception failure() {
        return failure.get();
    }

    public long transactions() {
        return transactions;
    }

    public long orders() {
        return orders;
    }

    public long ledgerOnly() {
        return ledgerOnly;
    }

    public long bulkMoves() {
        return bulkMoves;
    }

    public long rowsMoved() {
        return rowsMoved;
    }

    private void loop() {
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long nextBulk = System.nanoTime() + bulkEvery.toNanos();
        long next = System.nanoTime();
        try {
            while (!stopped && transactions < maxTransactions) {
                if (paused) {
                    AppProcess.sleep(20);
                    next = System.nanoTime();
                    continue;
                }
                inTransaction.lock();
                try {
                    if (paused) {
                        continue;
                    }
                    if (System.nanoTime() >= nextBulk) {
                        moveAllKeys();
                        nextBulk = System.nanoTime() + bulkEvery.toNanos();
                    } else {
                        step();
                    }
                    connection.commit();
                    transactions++;
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    inTransaction.unlock();
                }
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    AppProcess.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
                } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
                    next = System.nanoTime(); // fell behind (a slow commit): no burst to catch up
                }
            }
        } catch (Exception e) {
            failure.set(e);
        }
    }

    private void step() throws SQLException {
        int dice = random.nextInt(100);
        if (dice < 45 || openOrders.isEmpty()) {
            placeOrder();
        } else if (dice < 60) {
            pay();
        } else if (dice < 70) {
            cancel();
        } else if (dice < 95) {
            changeLedger();
        } else {
            addCustomer();
        }
    }

    /** Order + lines + balance + stock + ledger entry, one transaction. */
    private void placeOrder() throws SQLException {
        long customer = customers.get(random.nextInt(customers.size()));
        int lines = 1 + random.nextInt(4);
        BigDecimal total = BigDecimal.valueOf(100 + random.nextInt(50_000), 2);
        long orderId;
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO shop.orders (customer_id, status, total, placed_at) VALUES (?, 'new', ?, NOW(3))", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, customer);
            ps.setBigDecimal(2, total);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                orderId = keys.getLong(1);
            }
        }
        try (PreparedStatement line = connection.prepareStatement("INSERT INTO shop.order_lines (order_id, line_no, sku, quantity) VALUES (?, ?, ?, ?)");
             PreparedStatement stock = connection.prepareStatement("UPDATE shop.products SET stock = stock - ? WHERE sku = ?")) {
            for (int n = 1; n <= lines; n++) {
                String sku = skus.get(random.nextInt(skus.size()));
                int quantity = 1 + random.nextInt(3);
                line.setLong(1, orderId);
                line.setInt(2, n);
                line.setString(3, sku);
                line.setInt(4, quantity);
                line.executeUpdate();
                stock.setInt(1, quantity);
                stock.setString(2, sku);
                stock.executeUpdate();
            }
        }
        balance(customer, total.negate());
        ledger("order", total, "order " + orderId);
        openOrders.add(new Order(orderId, customer, total));
        orders++;
    }

    private void pay() throws SQLException {
        Order order = openOrders.remove(random.nextInt(openOrders.size()));
        try (PreparedStatement ps = connection.prepareStatement("UPDATE shop.orders SET status = 'paid' WHERE id = ?")) {
            ps.setLong(1, order.id());
            ps.executeUpdate();
        }
    }

    /** Lines and order deleted, the customer refunded, a ledger entry: one transaction. */
    private void cancel() throws SQLException {
        Order order = openOrders.remove(random.nextInt(openOrders.size()));
        try (PreparedStatement lines = connection.prepareStatement("DELETE FROM shop.order_lines WHERE order_id = ?");
             PreparedStatement head = connection.prepareStatement("DELETE FROM shop.orders WHERE id = ?")) {
            lines.setLong(1, order.id());
            lines.executeUpdate();
            head.setLong(1, order.id());
            head.executeUpdate();
        }
        balance(order.customer(), order.total());
        ledger("refund", order.total(), "order " + order.id() + " cancelled ✓");
    }

    /** The keyless table alone: an update of every row of an account, a delete of one row, or an exact copy of a row. */
    private void changeLedger() throws SQLException {
        String account = account();
        int dice = random.nextInt(100);
        String sql;
        if (dice < 40) {
            sql = "UPDATE shop.ledger SET note = CONCAT('checked ', " + random.nextInt(1000) + "), amount = amount + 0.01 WHERE account = ?";
        } else if (dice < 70) {
            sql = "DELETE FROM shop.ledger WHERE account = ? LIMIT 1";
        } else {
            sql = "INSERT INTO shop.ledger SELECT * FROM shop.ledger WHERE account = ? LIMIT 1";
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, account);
            ps.executeUpdate();
        }
        ledgerOnly++;
    }

    private void addCustomer() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO shop.customers (email, name, balance, created_at) VALUES (?, ?, 0, NOW(6))", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, "chaos" + System.nanoTime() + "-" + random.nextInt(1_000_000) + "@example.com");
            ps.setString(2, "Chaos " + random.nextInt(10_000));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                customers.add(keys.getLong(1));
            }
        }
    }

    /** One statement moves every row's primary key: one row change per row in the binlog. */
    private void moveAllKeys() throws SQLException {
        try (Statement s = connection.createStatement()) {
            rowsMoved += s.executeUpdate("UPDATE shop.moving_keys SET id = id + " + KEY_SHIFT + ", moves = moves + 1");
        }
        bulkMoves++;
    }

    private void balance(long customer, BigDecimal delta) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE shop.customers SET balance = balance + ? WHERE id = ?")) {
            ps.setBigDecimal(1, delta);
            ps.setLong(2, customer);
            ps.executeUpdate();
        }
    }

    private void ledger(String kind, BigDecimal amount, String note) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO shop.ledger (account, entry_kind, amount, note, booked_at) VALUES (?, ?, ?, ?, NOW(6))")) {
            ps.setString(1, account());
            ps.setString(2, kind);
            ps.setBigDecimal(3, amount);
            ps.setString(4, note);
            ps.executeUpdate();
        }
    }

    private String account() {
        return String.format("acct-%02d", 1 + random.nextInt(ACCOUNTS));
    }
}
