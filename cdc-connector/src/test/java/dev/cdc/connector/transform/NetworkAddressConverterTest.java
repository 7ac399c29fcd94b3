package dev.cdc.connector.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NetworkAddressConverterTest {

    @Test
    void inet4FromTheBinlogsBytes() {
        assertEquals("0.0.0.0", NetworkAddressConverter.text(new byte[0], true));
        assertEquals("255.255.255.255", NetworkAddressConverter.text(bytes("ffffffff"), true));
        assertEquals("10.0.0.1", NetworkAddressConverter.text(bytes("0a000001"), true));
        assertEquals("1.0.0.0", NetworkAddressConverter.text(bytes("01"), true));
    }

    /** Expected texts as MariaDB 11.4 prints them ({@code CAST(UNHEX(..) AS INET6)}). */
    @Test
    void inet6AsMariaDbPrintsIt() {
        assertEquals("::", text(""));
        assertEquals("::1", text("00000000000000000000000000000001"));
        assertEquals("::2", text("00000000000000000000000000000002"));
        assertEquals("::ffff", text("0000000000000000000000000000ffff"));
        assertEquals("::0.1.0.0", text("00000000000000000000000000010000"));
        assertEquals("::1.0.0.0", text("00000000000000000000000001"));
        assertEquals("::ffff:10.0.0.1", text("00000000000000000000ffff0a000001"));
        assertEquals("::ffff:0.0.0.0", text("00000000000000000000ffff"));
        assertEquals("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", text("ffffffffffffffffffffffffffffffff"));
        assertEquals("1::", text("0001"));
        assertEquals("2001:db8::1", text("20010db8000000000000000000000001"));
        // One zero group is compressed too, and of two equal runs the first.
        assertEquals("1::2:3:4:5:6:7", text("00010000000200030004000500060007"));
        assertEquals("1::2:0:0:3:4", text("00010000000000020000000000030004"));
    }

    @Test
    void snapshotTextAndNullPassThrough() {
        assertEquals("::ffff:10.0.0.1", NetworkAddressConverter.text("::ffff:10.0.0.1", false));
        assertNull(NetworkAddressConverter.text(null, false));
    }

    private static String text(String hex) {
        return NetworkAddressConverter.text(bytes(hex), false);
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
