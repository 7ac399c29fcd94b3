package dev.cdc.demo.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The tables of one {@link ProcessorThroughputBenchmark} scenario, written concurrently: {@code 1}, {@code 8} (any
 * number: that many 5-column tables {@code events1..n}) or {@code wide30} (one table of 30 columns of mixed types,
 * {@code wide1}). Every value is a function of the row's id.
 */
record ThroughputScenario(String label, List<String> tables, String columnDdl, boolean wide) {

    private static final String NARROW = "id BIGINT NOT NULL PRIMARY KEY, account VARCHAR(40) NOT NULL, amount DECIMAL(12,2) NOT NULL,"
            + " note VARCHAR(100), created DATETIME(6) NOT NULL";

    /** 30 columns: integers of every width, decimals, a double, strings, an enum, dates and times, text, bytes. */
    private static final String WIDE = "id BIGINT NOT NULL PRIMARY KEY, c_tiny TINYINT NOT NULL, c_small SMALLINT NOT NULL,"
            + " c_medium MEDIUMINT NOT NULL, c_int INT NOT NULL, c_big BIGINT NOT NULL, c_uint INT UNSIGNED NOT NULL, c_flag BOOLEAN NOT NULL,"
            + " c_money DECIMAL(12,2) NOT NULL, c_rate DECIMAL(18,6) NOT NULL, c_weight DECIMAL(8,3) NULL, c_score DOUBLE NOT NULL,"
            + " c_name VARCHAR(40) NOT NULL, c_email VARCHAR(100) NOT NULL, c_comment VARCHAR(255) NULL, c_code CHAR(10) NOT NULL,"
            + " c_city VARCHAR(60) NOT NULL, c_status ENUM('new','paid','shipped','returned') NOT NULL, c_day DATE NOT NULL,"
            + " c_created DATETIME(6) NOT NULL, c_updated DATETIME(3) NULL, c_stamp TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
            + " c_time TIME(3) NOT NULL, c_year YEAR NOT NULL, c_text TEXT NULL, c_body TEXT NOT NULL, c_bytes VARBINARY(32) NOT NULL,"
            + " c_qty SMALLINT UNSIGNED NOT NULL, c_ref BIGINT NULL, c_tag VARCHAR(20) NULL";

    static ThroughputScenario parse(String text) {
        String s = text.trim();
        if (s.equals("wide30")) {
            return new ThroughputScenario(s, List.of("wide1"), WIDE, true);
        }
        int tables;
        try {
            tables = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("scenario '" + s + "' is unknown: use a number of 5-column tables (e.g. 1, 8) or wide30");
        }
        if (tables < 1) {
            throw new IllegalArgumentException("scenario '" + s + "' has no tables: use a number of 5-column tables of at least 1, or wide30");
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= tables; i++) {
            names.add("events" + i);
        }
        return new ThroughputScenario(s, List.copyOf(names), NARROW, false);
    }

    int columns() {
        return columnDdl.split(",(?![^(]*\\))").length;
    }

    /** The row of {@code id} as a VALUES tuple. */
    void appendRow(StringBuilder sql, long id) {
        if (!wide) {
            sql.append('(').append(id).append(",'acct-").append(id % 977).append("',").append(id % 100000).append(".25,'bench row',NOW(6))");
            return;
        }
        sql.append('(').append(id)
                .append(',').append(id % 256 - 128)
                .append(',').append(id % 65536 - 32768)
                .append(',').append(id % 16_000_000 - 8_000_000)
                .append(',').append(id * 37 % 2_000_000_000)
                .append(',').append(id * 1_000_003)
                .append(',').append(id * 7 % 4_000_000_000L)
                .append(',').append(id % 2)
                .append(",'").append(id % 10_000_000).append('.').append(id % 100).append('\'')
                .append(",'").append(id % 1_000_000).append('.').append(id % 999_983).append('\'')
                .append(',').append(id % 3 == 0 ? "NULL" : "'" + id % 10_000 + "." + id % 1000 + "'")
                .append(',').append(id).append(".125e-3")
                .append(",'customer ").append(id % 99_991).append('\'')
                .append(",'user").append(id).append("@example.com'")
                .append(',').append(id % 4 == 0 ? "NULL" : "'comment on order " + id + ": handle with care, deliver to the back door'")
                .append(",'C").append(id % 1_000_000).append('\'')
                .append(",'").append(CITIES[(int) (id % CITIES.length)]).append('\'')
                .append(",'").append(STATUSES[(int) (id % STATUSES.length)]).append('\'')
                .append(",DATE('2024-01-01') + INTERVAL ").append(id % 1000).append(" DAY")
                .append(",NOW(6)")
                .append(',').append(id % 5 == 0 ? "NULL" : "TIMESTAMP('2024-06-01') + INTERVAL " + id % 86_400_000 + " SECOND")
                .append(",TIMESTAMP('2025-01-01') + INTERVAL ").append(id % 31_000_000).append(" SECOND")
                .append(",SEC_TO_TIME(").append(id % 86_400).append('.').append(String.format("%03d", id % 1000)).append(')')
                .append(',').append(1990 + id % 60)
                .append(',').append(id % 6 == 0 ? "NULL" : "'a short text of row " + id + "'")
                .append(",'").append(BODY).append(id).append('\'')
                .append(",UNHEX('").append(String.format("%016x", id * 0x9E3779B97F4A7C15L)).append("')")
                .append(',').append(id % 65_535)
                .append(',').append(id % 7 == 0 ? "NULL" : Long.toString(id * 11))
                .append(',').append(id % 9 == 0 ? "NULL" : "'tag-" + id % 50 + "'")
                .append(')');
    }

    private static final String[] CITIES = {"Zürich", "Lisboa", "Kraków", "Malmö", "São Paulo", "Reykjavík", "Łódź", "Nice"};
    private static final String[] STATUSES = {"new", "paid", "shipped", "returned"};
    private static final String BODY = "A longer text column, as the notes of an order or a product description would be: it repeats the same "
            + "few sentences for every row so that the row is about one kilobyte wide in JSON. Row ";
}
