package dev.cdc.connector;

import static dev.cdc.connector.ConnectorHarness.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.connector.ConnectorHarness.Event;
import dev.cdc.localstack.LocalStack;
import dev.cdc.offsets.cli.OffsetsCommand;
import io.micronaut.context.ApplicationContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator moves a stopped connector's offset with {@code offsets set}, and the next leader resumes exactly there:
 * changes A (made while the connector was down, before position P) are skipped, changes B (after P) arrive next.
 */
class OffsetSetResumeIT {

    private static final String NAME = "it-set";
    private static final String TOPICS = NAME + "\\.shop\\..*";

    @TempDir
    static Path work;
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(work);
        stack.loadDemoSchema();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void theNextLeaderResumesFromTheOffsetSetByTheCli() throws Exception {
        String bootstrap = stack.kafka().bootstrapServers();
        ApplicationContext first = ConnectorHarness.start(ConnectorHarness.properties(stack, NAME, "a"));
        try {
            ConnectorHarness.readUntil(bootstrap, TOPICS, ev -> count(ev, "r") >= 11, Duration.ofSeconds(90));
            sql("INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('before@example.com', 'Before', 1.00, NOW(6))");
            List<Event> streamed = ConnectorHarness.readUntil(bootstrap, TOPICS, ev -> count(ev, "c") >= 1, Duration.ofSeconds(60));
            assertEquals(1, count(streamed, "c"));

            // While an instance leads, the CLI refuses to move the offset, and says who leads.
            String[] head = masterStatus();
            Cli refused = cli("set", "--file", head[0], "--pos", head[1]);
            assertEquals(4, refused.code(), refused.toString());
            assertTrue(refused.err().startsWith("offsets: Refused: connector " + NAME + " is led by a (epoch "), refused.toString());
        } finally {
            first.close();
        }
        awaitNoLeader();
        String[] stopped = masterStatus();

        // A: changes while the connector is down, before P.
        sql("INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('a1@example.com', 'A One', 2.00, NOW(6))",
                "UPDATE shop.customers SET balance = 1.11 WHERE email = 'ada@example.com'");
        String[] p = masterStatus();
        assertTrue(Long.parseLong(p[1]) > Long.parseLong(stopped[1]) || !p[0].equals(stopped[0]), "A moved the binlog");
        // B: changes after P.
        sql("INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('b1@example.com', 'B One', 3.00, NOW(6))",
                "UPDATE shop.products SET price = 17.77 WHERE sku = 'MS-02'");

        Cli set = cli("set", "--file", p[0], "--pos", p[1]);
        assertEquals(0, set.code(), set.toString());
        example("set-resume", "set --connector " + NAME + " --file " + p[0] + " --pos " + p[1], set);
        assertTrue(set.out().contains("The next leader resumes from " + p[0] + ":" + p[1] + " (after GTIDs "), set.out());

        ApplicationContext second = ConnectorHarness.start(ConnectorHarness.properties(stack, NAME, "b"));
        try {
            ConnectorHarness.readUntil(bootstrap, TOPICS, ev -> fromB(ev).size() >= 2, Duration.ofSeconds(90));
            // A marker after B: everything instance b published before it is what followed P.
            sql("INSERT INTO shop.customers (email, name, balance, created_at) VALUES ('marker@example.com', 'Marker', 0, NOW(6))");
            List<Event> all = ConnectorHarness.readUntil(bootstrap, TOPICS,
                    ev -> fromB(ev).stream().anyMatch(e -> "marker@example.com".equals(email(e))), Duration.ofSeconds(60));

            List<Event> b = fromB(all);
            List<String> seen = b.stream().map(OffsetSetResumeIT::describe).toList();
            assertEquals(List.of("c customers b1@example.com", "u products MS-02 17.77", "c customers marker@example.com"), seen,
                    "instance b published exactly B (then the marker): nothing from before P, no new snapshot");
            assertEquals(0, all.stream().filter(e -> "a1@example.com".equals(email(e))).count(), "A (before P) was skipped");
            assertEquals(0, all.stream().filter(e -> e.value() != null && e.topic().endsWith(".customers") && "u".equals(e.op())).count(),
                    "the A update of ada was skipped");
            assertEquals(p[0], b.get(0).value().get("source").get("file").asText());
            assertEquals(Long.parseLong(p[1]), b.get(0).value().get("source").get("pos").asLong(), "B's first transaction starts at P");

            // The offset log tells the story: a's commits (epoch 1), the manual set (epoch 2, fencing a), b's commits (epoch 3).
            Cli history = cli("history", "--limit", "20", "--json");
            assertEquals(0, history.code(), history.toString());
            List<String> story = new ArrayList<>();
            for (JsonNode e : ConnectorHarness.JSON.readTree(history.out()).get("entries")) {
                story.add(0, e.get("kind").asText() + " " + e.get("epoch").asLong() + " " + (e.get("kind").asText().equals("set")
                        ? e.get("file").asText() + ":" + e.get("pos").asLong() : e.get("owner").asText()) + (e.get("failover").asBoolean() ? " failover" : ""));
            }
            int setAt = story.indexOf("set 2 " + p[0] + ":" + p[1]);
            assertTrue(setAt > 0 && story.get(setAt - 1).equals("commit 1 a"), "a committed under epoch 1, then the set under epoch 2: " + story);
            assertEquals("commit 3 b failover", story.get(setAt + 1), "b's first commit after the set is a failover to epoch 3: " + story);
            example("history-set-resume", "history --connector " + NAME + " --limit 8", cli("history", "--limit", "8"));
        } finally {
            second.close();
        }
    }

    /** Change events (no tombstones, no snapshot reads) published by instance b, in source-position order. */
    private static List<Event> fromB(List<Event> events) {
        List<Event> b = new ArrayList<>();
        for (Event e : events) {
            if (e.value() != null && "b".equals(e.headers().get("cdc.instance"))) {
                b.add(e);
            }
        }
        b.sort(Comparator.comparing(Event::position, Arrays::compare));
        return b;
    }

    private static String describe(Event e) {
        String table = e.topic().substring(e.topic().lastIndexOf('.') + 1);
        JsonNode after = e.value().get("after");
        if (table.equals("products")) {
            return e.op() + " products " + after.get("sku").asText() + " " + after.get("price").asText();
        }
        return e.op() + " " + table + " " + (after == null || after.isNull() ? "-" : after.path("email").asText());
    }

    private static String email(Event e) {
        if (e.value() == null || !e.topic().endsWith(".customers")) {
            return null;
        }
        JsonNode after = e.value().get("after");
        return after == null || after.isNull() ? null : after.get("email").asText();
    }

    private void awaitNoLeader() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Cli show = cli("show", "--json");
            assertEquals(0, show.code(), show.toString());
            if (ConnectorHarness.JSON.readTree(show.out()).get("connectors").get(0).get("leader").isNull()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the stopped connector still leads after 20 s");
    }

    private static String[] masterStatus() throws Exception {
        try (Connection c = stack.source().rootConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[] {rs.getString(1), Long.toString(rs.getLong(2))};
        }
    }

    private static void sql(String... statements) throws Exception {
        try (Connection c = stack.source().rootConnection(); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }

    record Cli(int code, String out, String err) {
    }

    /** Keeps the real output for docs/offsets-cli.md in target/cli-examples/. */
    private static void example(String name, String command, Cli run) throws Exception {
        Path dir = Path.of("target", "cli-examples");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve(name + ".txt"), "$ offsets " + command + "\n" + run.out().stripTrailing() + "\n(exit " + run.code() + ")\n");
    }

    /** Runs the operator CLI in this JVM, with every setting as a flag (no environment). */
    private static Cli cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--connector", NAME,
                "--store-url", stack.store().url(), "--store-user", stack.store().user(), "--store-password", stack.store().password()));
        if (args[0].equals("set") || args[0].equals("lag") || args[0].equals("validate")) {
            all.addAll(List.of("--source-url", stack.cdc().url(), "--source-user", stack.cdc().user(), "--source-password", stack.cdc().password()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OffsetsCommand.commandLine(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }
}
