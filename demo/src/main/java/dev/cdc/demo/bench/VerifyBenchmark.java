package dev.cdc.demo.bench;

import dev.cdc.localstack.LocalStack;
import dev.cdc.localstack.MariaDbBinaries;
import dev.cdc.localstack.SqlScript;
import dev.cdc.offsets.cli.CdcCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long {@code cdc verify} takes on a large table: the same N rows (default 1,000,000, {@code -Dverify.rows}) in a
 * source table and its target copy, on the local stack's two MariaDB servers (no pipeline: the tables stand still).
 * Three runs on equal tables, then one after three rows were changed by hand in the target, then {@code cdc resync}
 * of the table and a last verify. Every command's output is printed as the operator sees it.
 */
public final class VerifyBenchmark {

    private VerifyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("verify.rows", 1_000_000);
        Path work = Path.of(System.getProperty("verify.work-dir", "target/verify-benchmark")).toAbsolutePath();
        MariaDbBinaries.deleteTree(work);
        Files.createDirectories(work);
        say("%s; %,d rows", Stats.machine(), rows);
        try (LocalStack stack = LocalStack.start(work);
             Connection source = stack.source().rootConnection();
             Connection target = DriverManager.getConnection(stack.targetDb().url(), stack.targetDb().user(), stack.targetDb().password())) {
            stack.loadDemoSchema();
            long loadStart = System.nanoTime();
            SqlScript.runResource(source, "sql/verify-benchmark.sql", Map.of("DB", "shop", "ROWS", Integer.toString(rows)));
            SqlScript.runResource(target, "sql/verify-benchmark.sql", Map.of("DB", "cdc_target", "ROWS", Integer.toString(rows)));
            // resync coordinates with the processor's watermark table; no processor runs here, so it is created from the processor's DDL.
            SqlScript.run(target, Files.readString(Path.of("../cdc-processor/src/main/resources/sql/cdc_apply_watermark.sql")), Map.of());
            say("loaded %,d rows into source and target in %.1f s", rows, (System.nanoTime() - loadStart) / 1e9);

            List<Long> equalRuns = new ArrayList<>();
            for (int run = 1; run <= 3; run++) {
                equalRuns.add(timed(stack, run == 1, "verify", "bench_rows"));
            }
            try (Statement s = target.createStatement()) {
                s.executeUpdate("UPDATE bench_rows SET note = 'changed by hand' WHERE id = 4242");
                s.executeUpdate("DELETE FROM bench_rows WHERE id = 500000");
                s.executeUpdate("INSERT INTO bench_rows (id, account, amount, note, created_at) VALUES (" + (rows + 7)
                        + ", 'acct-x', 1.00, NULL, '2024-01-01 00:00:00')");
            }
            long differing = timed(stack, true, "verify", "bench_rows");
            long resync = timed(stack, true, "resync", "bench_rows");
            long after = timed(stack, true, "verify", "bench_rows");
            equalRuns.sort(null);
            say("verify of %,d equal rows: %s ms (median %d ms, %.0f rows/s); with 3 differing rows: %d ms; resync: %d ms; verify after: %d ms",
                    rows, equalRuns, equalRuns.get(1), rows * 1000.0 / equalRuns.get(1), differing, resync, after);
        }
    }

    private static long timed(LocalStack stack, boolean print, String command, String table) {
        List<String> args = List.of(command, "--source-url", stack.cdc().url(), "--source-user", stack.cdc().user(), "--target-url",
                stack.targetDb().url(), "--target-user", stack.targetDb().user(), "--source-db", "shop", "--topic-prefix", "bench", table);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long started = System.nanoTime();
        int code = CdcCommand.commandLine(Map.of("CDC_SOURCE_PASSWORD", stack.cdc().password(), "CDC_TARGET_PASSWORD", stack.targetDb().password()),
                new PrintWriter(out, true), new PrintWriter(err, true)).execute(args.toArray(String[]::new));
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (print) {
            System.out.println("$ bin/cdc " + command + " " + table + "    # exit " + code + ", " + ms + " ms");
            System.out.print(out);
            System.out.print(err);
        }
        return ms;
    }

    private static void say(String format, Object... args) {
        System.out.println("[verify-benchmark] " + String.format(Locale.ROOT, format, args));
    }
}
