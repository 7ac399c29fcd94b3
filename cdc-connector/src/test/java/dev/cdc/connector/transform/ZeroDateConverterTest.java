package dev.cdc.connector.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class ZeroDateConverterTest {

    @Test
    void nullInANotNullColumnIsTheZeroDate() {
        assertEquals("0000-00-00", ZeroDateConverter.date(null));
        assertEquals("0000-00-00T00:00:00", ZeroDateConverter.dateTime(null, 0));
        assertEquals("0000-00-00T00:00:00.000", ZeroDateConverter.dateTime(null, 3));
        assertEquals("0000-00-00T00:00:00.000000Z", ZeroDateConverter.timestamp(null, 6));
    }

    @Test
    void otherValuesAreWrittenLikeTheEncoderWritesThem() {
        assertEquals("0001-01-01", ZeroDateConverter.date(LocalDate.of(1, 1, 1)));
        assertEquals("9999-12-31", ZeroDateConverter.date(java.sql.Date.valueOf("9999-12-31")));
        assertEquals("2024-02-29T12:34:56.123456", ZeroDateConverter.dateTime(LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123_456_000), 6));
        assertEquals("2024-02-29T12:34:56.1", ZeroDateConverter.dateTime(java.sql.Timestamp.valueOf("2024-02-29 12:34:56.1"), 1));
        assertEquals("1000-01-01T00:00:00", ZeroDateConverter.dateTime(LocalDateTime.of(1000, 1, 1, 0, 0), 0));
        assertEquals("2038-01-19T03:14:07.999Z", ZeroDateConverter.timestamp(ZonedDateTime.of(2038, 1, 19, 3, 14, 7, 999_000_000, ZoneOffset.UTC), 3));
        assertEquals("0000-00-00T00:00:00Z", ZeroDateConverter.timestamp(ZonedDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), 0));
        assertThrows(IllegalArgumentException.class, () -> ZeroDateConverter.date(new Object()));
    }

    @Test
    void yearsAreTheStoredYear() {
        assertEquals(0, ZeroDateConverter.year((short) 0), "the snapshot reads YEAR 0000 as 0");
        assertEquals(0, ZeroDateConverter.year(java.time.Year.of(1900)), "the binlog reader makes YEAR 0000 1900");
        assertEquals(2000, ZeroDateConverter.year(java.time.Year.of(2000)));
        assertEquals(2155, ZeroDateConverter.year(2155));
        assertEquals(1901, ZeroDateConverter.year("1901"));
        assertEquals(null, ZeroDateConverter.year(null));
    }

    @Test
    void defaultsArriveAsText() {
        assertEquals("2024-01-01", ZeroDateConverter.date("2024-01-01"));
        assertEquals("0000-00-00", ZeroDateConverter.date("0000-00-00"));
        assertEquals("2000-01-01", ZeroDateConverter.date(10957), "Debezium hands DATE defaults over as epoch days");
        assertEquals("2000-01-01T00:00:00.000", ZeroDateConverter.dateTime("2000-01-01 00:00:00", 3));
        assertEquals("0000-00-00T00:00:00Z", ZeroDateConverter.timestamp("1970-01-01T00:00:00Z", 0));
        assertEquals("2000-01-01T00:00:00Z", ZeroDateConverter.timestamp("2000-01-01T00:00:00Z", 0));
        assertEquals("2000-01-01T00:00:00.000000Z", ZeroDateConverter.timestamp("2000-01-01 00:00:00", 6));
    }
}
