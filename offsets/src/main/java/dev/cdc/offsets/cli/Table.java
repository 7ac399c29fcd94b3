package dev.cdc.offsets.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny aligned-text table: columns padded to their widest cell, two spaces apart, numbers right-aligned when asked,
 * no trailing blanks. Null cells print as {@code -}, empty ones stay blank. Without headers it prints a key/value block.
 */
final class Table {

    private final String[] headers;
    private final java.util.Set<Integer> right = new java.util.HashSet<>();
    private final List<String[]> rows = new ArrayList<>();

    /** @param headers the header row, or none for a table without one */
    Table(String... headers) {
        this.headers = headers.length == 0 ? null : headers.clone();
    }

    /** Right-aligns the given column indexes (numbers). */
    Table right(int... columns) {
        for (int c : columns) {
            right.add(c);
        }
        return this;
    }

    Table row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = cells[i] == null ? "-" : cells[i].toString();
        }
        rows.add(r);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        for (String line : lines()) {
            out.println(line);
        }
    }

    List<String> lines() {
        int columns = headers == null ? 0 : headers.length;
        for (String[] r : rows) {
            columns = Math.max(columns, r.length);
        }
        int[] width = new int[columns];
        List<String[]> all = new ArrayList<>();
        if (headers != null) {
            all.add(headers);
        }
        all.addAll(rows);
        for (String[] r : all) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].codePointCount(0, r[i].length()));
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] r : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = i < r.length ? r[i] : "";
                int pad = width[i] - cell.codePointCount(0, cell.length());
                if (i > 0) {
                    sb.append("  ");
                }
                if (right.contains(i)) {
                    sb.append(" ".repeat(pad)).append(cell);
                } else {
                    sb.append(cell).append(" ".repeat(pad));
                }
            }
            lines.add(stripTrailing(sb));
        }
        return lines;
    }

    private static String stripTrailing(StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.substring(0, end);
    }
}
