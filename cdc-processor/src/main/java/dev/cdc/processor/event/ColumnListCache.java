package dev.cdc.processor.event;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Parsed {@code columns} arrays, keyed by their bytes. Every event of a table version carries the same array, and
 * building its tree took most of the parse of a wide row (docs/benchmarks.md, "Processor throughput"): with this cache an
 * event's array is only scanned and compared. Bounded: when full it starts over, which costs parsing, never correctness.
 */
final class ColumnListCache {

    private final int capacity;
    private final Map<Slice, ColumnList> lists = new ConcurrentHashMap<>();

    ColumnListCache(int capacity) {
        this.capacity = capacity;
    }

    /** The list for bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code source}, parsed by {@code parse} when new. */
    ColumnList get(byte[] source, int from, int to, Supplier<ColumnList> parse) {
        ColumnList cached = find(source, from, to);
        if (cached != null) {
            return cached;
        }
        ColumnList parsed = parse.get();
        if (lists.size() >= capacity) {
            lists.clear();
        }
        lists.put(new Slice(source, from, to).copy(), parsed);
        return parsed;
    }

    /** The list parsed earlier from the same bytes as {@code from} to {@code to} of {@code source}, or null. */
    ColumnList find(byte[] source, int from, int to) {
        return lists.get(new Slice(source, from, to));
    }

    /** A range of a byte array; the probe refers to the record's value, the stored key to its own copy. */
    private static final class Slice {
        private static final int SAMPLES = 64;
        private final byte[] bytes;
        private final int from;
        private final int to;
        private final int hash;

        Slice(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            // The length and a sample of the bytes: hashing all of a wide table's array cost 70 times its comparison
            // (2.6 µs against 37 ns for 3 KB); equals compares every byte.
            int h = to - from;
            int step = Math.max(1, (to - from) / SAMPLES);
            for (int i = from; i < to; i += step) {
                h = 31 * h + bytes[i];
            }
            this.hash = h;
        }

        Slice copy() {
            return new Slice(Arrays.copyOfRange(bytes, from, to), 0, to - from);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Slice s && s.hash == hash && Arrays.equals(bytes, from, to, s.bytes, s.from, s.to);
        }
    }
}
