package dev.cdc.offsets.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares one source table with its target table while replication runs.
 *
 * <p>A table with a primary key is cut into chunks of N keys (boundaries read from the source); each chunk's row count
 * and hash sum are compared. In a differing chunk every row's hash is compared by key, and the differing keys are read
 * again, on both sides, a few times with a pause in between: a change in flight (written to the source, not yet
 * applied) settles within the pipeline's lag. A key is reported when it still differs at the end and its source row did
 * not change during the last pause (a row the source keeps changing is reported as unsettled, not as a difference).
 * A table without a primary key is compared as a multiset of row hashes, settled the same way per hash.
 */
final class TableVerifier {

    /** How a row differs. */
    enum Kind { MISSING_IN_TARGET, EXTRA_IN_TARGET, DIFFERENT }

    /** One differing row: its key (or, without a key, its columns' text and the counts on both sides). */
    record RowDifference(Kind kind, List<String> key, List<String> row, long sourceCount, long targetCount) {
    }

    /** A chunk whose count or hash differed at first sight. */
    record Chunk(KeyRange range, long sourceRows, long targetRows) {
    }

    /** The outcome for one table; {@code problem} is set when the target table cannot be compared at all. */
    record Result(String table, String targetTable, List<String> key, long sourceRows, int chunks, List<Chunk> differingChunks,
            List<RowDifference> differences, int unsettled, boolean truncated, String problem, long millis) {

        boolean equal() {
            return problem == null && differences.isEmpty();
        }
    }

    /** At most this many differing rows are followed per table. */
    static final int MAX_CANDIDATES = 10_000;
    private static final int IN_BATCH = 500;

    private final Connection source;
    private final Connection target;
    private final boolean sourceMaria;
    private final boolean targetMaria;
    private final int chunkSize;
    private final int rechecks;
    private final Duration pause;

    TableVerifier(Connection source, Connection target, int chunkSize, int rechecks, Duration pause) throws SQLException {
        this.source = source;
        this.target = target;
        this.sourceMaria = Databases.isMariaDb(source);
        this.targetMaria = Databases.isMariaDb(target);
        this.chunkSize = chunkSize;
        this.rechecks = rechecks;
        this.pause = pause;
    }

    Result verify(TableShape shape, String targetDb, String targetTable) throws SQLException {
        long started = System.nanoTime();
        TableShape targetShape = TableShape.read(target, targetDb, targetTable);
        String problem = null;
        if (targetShape == null) {
            problem = "target table `" + targetTable + "` does not exist";
        } else {
            List<String> missing = shape.columns().keySet().stream()
                    .filter(c -> targetShape.columns().keySet().stream().noneMatch(t -> t.equalsIgnoreCase(c))).toList();
            if (!missing.isEmpty()) {
                problem = "target table `" + targetTable + "` lacks column(s) " + String.join(", ", missing);
            }
        }
        if (problem != null) {
            return new Result(shape.name(), targetTable, shape.key(), count(shape), 0, List.of(), List.of(), 0, false, problem, elapsed(started));
        }
        Sides sides = new Sides(shape, new RowSql(shape, sourceMaria), new RowSql(shape, targetMaria), shape.qualified(),
                TableShape.quote(targetDb) + "." + TableShape.quote(targetTable));
        return shape.hasKey() ? verifyKeyed(sides, targetTable, started) : verifyMultiset(sides, targetTable, started);
    }

    private record Sides(TableShape shape, RowSql sourceSql, RowSql targetSql, String sourceTable, String targetTable) {
    }

    private Result verifyKeyed(Sides s, String targetTable, long started) throws SQLException {
        List<KeyRange> chunks = chunks(s);
        List<Chunk> differing = new ArrayList<>();
        Map<List<String>, String[]> candidates = new LinkedHashMap<>();
        Map<List<String>, Chunk> origin = new HashMap<>();
        long sourceRows = 0;
        boolean truncated = false;
        for (KeyRange range : chunks) {
            Sum src = checksum(source, s.sourceSql.checksum(s.sourceTable, range), range);
            Sum tgt = checksum(target, s.targetSql.checksum(s.targetTable, range), range);
            sourceRows += src.rows();
            if (src.equals(tgt)) {
                continue;
            }
            Chunk chunk = new Chunk(range, src.rows(), tgt.rows());
            Map<List<String>, String> srcRows = keyHashes(source, s.sourceSql.keyHashes(s.sourceTable, range), range, s.shape.key().size());
            Map<List<String>, String> tgtRows = keyHashes(target, s.targetSql.keyHashes(s.targetTable, range), range, s.shape.key().size());
            differing.add(chunk);
            for (List<String> key : union(srcRows, tgtRows)) {
                String a = srcRows.get(key);
                String b = tgtRows.get(key);
                if (!Objects.equals(a, b)) {
                    if (candidates.size() < MAX_CANDIDATES) {
                        candidates.put(key, new String[] {a, b, a});
                        origin.put(key, chunk);
                    } else {
                        truncated = true;
                    }
                }
            }
        }
        int unsettled = settle(candidates, keys -> readKeyHashes(s, keys, true), keys -> readKeyHashes(s, keys, false));
        List<RowDifference> differences = new ArrayList<>();
        for (Map.Entry<List<String>, String[]> e : candidates.entrySet()) {
            String[] v = e.getValue();
            Kind kind = v[0] == null ? Kind.EXTRA_IN_TARGET : v[1] == null ? Kind.MISSING_IN_TARGET : Kind.DIFFERENT;
            differences.add(new RowDifference(kind, e.getKey(), null, v[0] == null ? 0 : 1, v[1] == null ? 0 : 1));
        }
        // A chunk is reported only when one of its keys still differs after the rechecks.
        List<Chunk> stillDiffering = differing.stream().filter(c -> candidates.keySet().stream().anyMatch(k -> origin.get(k) == c)).toList();
        return new Result(s.shape.name(), targetTable, s.shape.key(), sourceRows, chunks.size(), stillDiffering, differences, unsettled,
                truncated, null, elapsed(started));
    }

    private Result verifyMultiset(Sides s, String targetTable, long started) throws SQLException {
        Sum src = checksum(source, s.sourceSql.checksum(s.sourceTable, KeyRange.ALL), KeyRange.ALL);
        Sum tgt = checksum(target, s.targetSql.checksum(s.targetTable, KeyRange.ALL), KeyRange.ALL);
        Map<List<String>, String[]> candidates = new LinkedHashMap<>();
        boolean truncated = false;
        if (!src.equals(tgt)) {
            Map<String, Long> a = hashCounts(source, s.sourceSql.hashCounts(s.sourceTable, 0), List.of());
            Map<String, Long> b = hashCounts(target, s.targetSql.hashCounts(s.targetTable, 0), List.of());
            for (String h : unionOf(a.keySet(), b.keySet())) {
                long x = a.getOrDefault(h, 0L);
                long y = b.getOrDefault(h, 0L);
                if (x != y) {
                    if (candidates.size() < MAX_CANDIDATES) {
                        candidates.put(List.of(h), new String[] {Long.toString(x), Long.toString(y), Long.toString(x)});
                    } else {
                        truncated = true;
                    }
                }
            }
        }
        int unsettled = settle(candidates, keys -> readCounts(s, keys, true), keys -> readCounts(s, keys, false));
        List<RowDifference> differences = new ArrayList<>();
        for (Map.Entry<List<String>, String[]> e : candidates.entrySet()) {
            long x = Long.parseLong(e.getValue()[0]);
            long y = Long.parseLong(e.getValue()[1]);
            String hash = e.getKey().get(0);
            List<String> row = sampleRow(x > y ? source : target, x > y ? s.sourceSql.rowWithHash(s.sourceTable) : s.targetSql.rowWithHash(s.targetTable),
                    hash, s.shape.columns().size());
            Kind kind = y == 0 ? Kind.MISSING_IN_TARGET : x == 0 ? Kind.EXTRA_IN_TARGET : x > y ? Kind.MISSING_IN_TARGET : Kind.EXTRA_IN_TARGET;
            differences.add(new RowDifference(kind, null, row, x, y));
        }
        List<Chunk> chunks = differences.isEmpty() ? List.of() : List.of(new Chunk(KeyRange.ALL, src.rows(), tgt.rows()));
        return new Result(s.shape.name(), targetTable, List.of(), src.rows(), 1, chunks, differences, unsettled, truncated, null, elapsed(started));
    }

    @FunctionalInterface
    private interface Reader {
        Map<List<String>, String> read(List<List<String>> keys) throws SQLException;
    }

    /**
     * Re-reads the candidates (value: {source, target, source at the previous read}) until they agree or the rechecks
     * are spent. Those equal are dropped; of the rest, the ones whose source changed during the last pause are dropped
     * and counted as unsettled. What remains differs with a stable source.
     */
    private int settle(Map<List<String>, String[]> candidates, Reader sourceReader, Reader targetReader) throws SQLException {
        for (int round = 0; round < rechecks && !candidates.isEmpty(); round++) {
            sleep(pause);
            List<List<String>> keys = new ArrayList<>(candidates.keySet());
            Map<List<String>, String> src = sourceReader.read(keys);
            Map<List<String>, String> tgt = targetReader.read(keys);
            for (List<String> key : keys) {
                String[] v = candidates.get(key);
                String a = src.get(key);
                String b = tgt.get(key);
                if (Objects.equals(a, b)) {
                    candidates.remove(key);
                } else {
                    v[2] = v[0];
                    v[0] = a;
                    v[1] = b;
                }
            }
        }
        int unsettled = 0;
        for (var it = candidates.entrySet().iterator(); it.hasNext(); ) {
            String[] v = it.next().getValue();
            if (!Objects.equals(v[0], v[2])) {
                it.remove();
                unsettled++;
            }
        }
        return unsettled;
    }

    private Map<List<String>, String> readKeyHashes(Sides s, List<List<String>> keys, boolean fromSource) throws SQLException {
        Map<List<String>, String> out = new HashMap<>();
        for (int i = 0; i < keys.size(); i += IN_BATCH) {
            List<List<String>> batch = keys.subList(i, Math.min(keys.size(), i + IN_BATCH));
            String sql = fromSource ? s.sourceSql.keyHashesOf(s.sourceTable, batch.size()) : s.targetSql.keyHashesOf(s.targetTable, batch.size());
            try (PreparedStatement ps = (fromSource ? source : target).prepareStatement(sql)) {
                RowSql.bindKeys(ps, batch);
                out.putAll(collect(ps, s.shape.key().size()));
            }
        }
        // A key read back by the server may be spelled differently (e.g. 5 vs 05): keep the candidates' spelling.
        Map<List<String>, String> byCandidate = new HashMap<>();
        for (List<String> key : keys) {
            byCandidate.put(key, out.get(key));
        }
        return byCandidate;
    }

    private Map<List<String>, String> readCounts(Sides s, List<List<String>> keys, boolean fromSource) throws SQLException {
        Map<List<String>, String> out = new HashMap<>();
        for (int i = 0; i < keys.size(); i += IN_BATCH) {
            List<List<String>> batch = keys.subList(i, Math.min(keys.size(), i + IN_BATCH));
            List<String> hashes = batch.stream().map(k -> k.get(0)).toList();
            Map<String, Long> counts = fromSource ? hashCounts(source, s.sourceSql.hashCounts(s.sourceTable, hashes.size()), hashes)
                    : hashCounts(target, s.targetSql.hashCounts(s.targetTable, hashes.size()), hashes);
            for (String h : hashes) {
                out.put(List.of(h), Long.toString(counts.getOrDefault(h, 0L)));
            }
        }
        return out;
    }

    private List<KeyRange> chunks(Sides s) throws SQLException {
        List<KeyRange> chunks = new ArrayList<>();
        List<String> previous = null;
        while (true) {
            KeyRange after = new KeyRange(previous, false, null);
            List<String> end;
            try (PreparedStatement ps = source.prepareStatement(s.sourceSql.chunkEnd(s.sourceTable, after, chunkSize))) {
                after.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    end = rs.next() ? values(rs, s.shape.key().size()) : null;
                }
            }
            chunks.add(new KeyRange(previous, false, end));
            if (end == null) {
                return chunks;
            }
            previous = end;
        }
    }

    private long count(TableShape shape) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement("SELECT COUNT(*) FROM " + shape.qualified()); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A chunk's row count and hash sum (exact: a sum of 60-bit values can exceed a long). */
    private record Sum(long rows, java.math.BigInteger hash) {
    }

    private static Sum checksum(Connection c, String sql, KeyRange range) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            range.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Sum(rs.getLong(1), rs.getBigDecimal(2).toBigInteger());
            }
        }
    }

    private static Map<List<String>, String> keyHashes(Connection c, String sql, KeyRange range, int keyColumns) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            range.bind(ps, 1);
            return collect(ps, keyColumns);
        }
    }

    private static Map<List<String>, String> collect(PreparedStatement ps, int keyColumns) throws SQLException {
        Map<List<String>, String> rows = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(values(rs, keyColumns), rs.getString(keyColumns + 1));
            }
        }
        return rows;
    }

    private static Map<String, Long> hashCounts(Connection c, String sql, List<String> hashes) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < hashes.size(); i++) {
                ps.setString(i + 1, hashes.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    private static List<String> sampleRow(Connection c, String sql, String hash, int columns) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    String v = rs.getString(i);
                    row.add("\0".equals(v) ? null : v);
                }
                return row;
            }
        }
    }

    private static List<String> values(ResultSet rs, int n) throws SQLException {
        List<String> v = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            v.add(rs.getString(i));
        }
        return v;
    }

    private static <K> List<K> union(Map<K, ?> a, Map<K, ?> b) {
        return unionOf(a.keySet(), b.keySet());
    }

    private static <K> List<K> unionOf(java.util.Set<K> a, java.util.Set<K> b) {
        java.util.LinkedHashSet<K> all = new java.util.LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
