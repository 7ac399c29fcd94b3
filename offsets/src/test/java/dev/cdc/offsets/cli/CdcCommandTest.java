package dev.cdc.offsets.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The top-level command's wiring and its refusals that need no server: one line, the documented exit code, nothing done. */
class CdcCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run cdc(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CdcCommand.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertOneLine(Run r, int code, String expected) {
        assertEquals(code, r.code(), r.err());
        String err = r.err().strip();
        assertTrue(err.matches("[a-z-]+: .*") && !err.contains("\n") && err.contains(". Fix: ") && err.contains(expected), err);
    }

    @Test
    void offsetsIsASubcommandWithItsOwnErrors() {
        assertOneLine(cdc(Map.of(), "offsets", "show"), ExitCode.USAGE, "No shared store given");
        assertOneLine(cdc(Map.of(), "offsets", "nonsense"), ExitCode.USAGE, "see 'cdc offsets --help'");
        assertEquals(0, cdc(Map.of(), "offsets", "--help").code());
    }

    @Test
    void missingSettingsAreNamedWithTheirFix() {
        assertOneLine(cdc(Map.of(), "verify"), ExitCode.USAGE, "No source database given");
        assertOneLine(cdc(Map.of("CDC_SOURCE_DB", "shop"), "verify"), ExitCode.USAGE, "No source server given");
        assertOneLine(cdc(Map.of("CDC_SOURCE_DB", "shop", "CDC_SOURCE_URL", "jdbc:mysql://h"), "verify"), ExitCode.USAGE, "No target database given");
        assertOneLine(cdc(Map.of("CDC_SOURCE_DB", "shop", "CDC_SOURCE_URL", "jdbc:mysql://h"), "verify", "--target-url", "jdbc:postgresql://h/db"), ExitCode.USAGE,
                "is not a MySQL/MariaDB JDBC URL");
        assertOneLine(cdc(Map.of(), "resync"), ExitCode.USAGE, "No table named");
        assertOneLine(cdc(Map.of("CDC_SOURCE_DB", "shop"), "resync", "a", "b", "--from", "1"), ExitCode.USAGE, "one table at a time");
        assertOneLine(cdc(Map.of("CDC_SOURCE_DB", "shop"), "resync", "a"), ExitCode.USAGE, "No topic prefix given");
        assertOneLine(cdc(Map.of("CDC_SOURCE_DB", "shop"), "verify", "--recheck-pause", "soon"), ExitCode.USAGE, "is not a duration");
        assertOneLine(cdc(Map.of(), "verify", "--chunk-size", "0", "--source-db", "shop"), ExitCode.USAGE, "--chunk-size 0 is out of range");
    }

    @Test
    void compositeKeyRangesAreSpelledOutAndBoundInOrder() {
        KeyRange range = new KeyRange(List.of("1", "2"), false, List.of("5", "0"));
        assertEquals(" WHERE ((`a` > ?) OR (`a` = ? AND `b` > ?)) AND ((`a` < ?) OR (`a` = ? AND `b` <= ?))", range.where(List.of("a", "b")));
        assertEquals("after a=1, b=2 through a=5, b=0", range.describe(List.of("a", "b")));
        assertEquals(" WHERE ((`id` >= ?))", new KeyRange(List.of("7"), true, null).where(List.of("id")));
        assertEquals("", KeyRange.ALL.where(List.of("id")));
    }
}
