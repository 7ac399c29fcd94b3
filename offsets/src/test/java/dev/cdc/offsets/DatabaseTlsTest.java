package dev.cdc.offsets;

import dev.cdc.contract.OperatorFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTlsTest {

    @TempDir
    Path dir;

    @Test
    void unsetMeansTheDriverDefaults() {
        assertEquals(Map.of(), DatabaseTls.of("cdc.store.", null, " ", "").driverProperties());
    }

    @Test
    void passesModeAndTrustStoreToTheDriver() throws Exception {
        Path trustStore = Files.createFile(dir.resolve("ca.p12"));
        DatabaseTls tls = DatabaseTls.of("cdc.source.", "verify_identity", trustStore.toString(), "pw");
        Map<String, String> props = tls.driverProperties();
        assertEquals("VERIFY_IDENTITY", props.get("sslMode"));
        assertEquals(trustStore.toUri().toString(), props.get("trustCertificateKeyStoreUrl"));
        assertEquals("PKCS12", props.get("trustCertificateKeyStoreType"));
        assertEquals("pw", props.get("trustCertificateKeyStorePassword"));
        assertTrue(tls.verifiesCertificate());
        assertFalse(tls.toString().contains("pw]"), tls.toString());
        assertEquals(tls, DatabaseTls.fromSettings(tls.toSettings("x.cdc.store."), "x.cdc.store."));
    }

    @Test
    void badSettingsNameTheKeyAndTheFix() throws Exception {
        OperatorFailure mode = assertThrows(OperatorFailure.class, () -> DatabaseTls.of("cdc.store.", "on", null, null));
        assertEquals("cdc.store.tls.mode 'on' is not a TLS mode. Fix: use one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY.",
                mode.getMessage());
        OperatorFailure missing = assertThrows(OperatorFailure.class,
                () -> DatabaseTls.of("cdc.source.", "VERIFY_CA", dir.resolve("nope.p12").toString(), null));
        assertTrue(missing.getMessage().startsWith("cdc.source.tls.trust-store '") && missing.getMessage().contains("not a readable file"),
                missing.getMessage());
        Path trustStore = Files.createFile(dir.resolve("ca.jks"));
        OperatorFailure noMode = assertThrows(OperatorFailure.class,
                () -> DatabaseTls.of("cdc.store.", null, trustStore.toString(), null));
        assertTrue(noMode.getMessage().contains("cdc.store.tls.mode is not"), noMode.getMessage());
        assertEquals("JKS", DatabaseTls.of("cdc.store.", "VERIFY_CA", trustStore.toString(), null).driverProperties()
                .get("trustCertificateKeyStoreType"));
    }
}
