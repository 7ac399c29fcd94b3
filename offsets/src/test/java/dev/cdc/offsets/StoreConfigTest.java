package dev.cdc.offsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

    @Test
    void toStringHidesThePassword() {
        StoreConfig cfg = new StoreConfig("jdbc:mysql://db:3306/cdc_store", "cdc_store", "s3cret");
        assertEquals("StoreConfig[url=jdbc:mysql://db:3306/cdc_store, user=cdc_store, password=****]", cfg.toString());
    }

    @Test
    void passwordsInsideTheUrlAreRedacted() {
        StoreConfig inQuery = new StoreConfig("jdbc:mysql://db:3306/cdc_store?useSSL=false&password=s3cret&x=1", "u", "");
        assertEquals("jdbc:mysql://db:3306/cdc_store?useSSL=false&password=****&x=1", inQuery.safeUrl());
        StoreConfig inAuthority = new StoreConfig("jdbc:mysql://u:s3cret@db:3306/cdc_store", "u", "");
        assertEquals("jdbc:mysql://u:****@db:3306/cdc_store", inAuthority.safeUrl());
        assertFalse(inAuthority.toString().contains("s3cret"));
    }

    @Test
    void trustStorePasswordsInsideTheUrlAreRedacted() {
        StoreConfig cfg = new StoreConfig("jdbc:mysql://db/cdc_store?sslMode=VERIFY_CA&trustCertificateKeyStorePassword=t0p&x=1", "u", "");
        assertEquals("jdbc:mysql://db/cdc_store?sslMode=VERIFY_CA&trustCertificateKeyStorePassword=****&x=1", cfg.safeUrl());
    }

    @Test
    void readsTheTlsSettingsAndHidesTheirPassword(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path trustStore = java.nio.file.Files.createFile(dir.resolve("ca.p12"));
        StoreConfig cfg = StoreConfig.fromSettings(Map.of("cdc.store.url", "jdbc:mysql://db/cdc_store", "cdc.store.user", "u",
                "cdc.store.tls.mode", "verify-ca", "cdc.store.tls.trust-store", trustStore.toString(),
                "cdc.store.tls.trust-store-password", new Password("t0p-secret")), "");
        assertEquals(new DatabaseTls("VERIFY_CA", trustStore.toString(), "t0p-secret"), cfg.tls());
        assertFalse(cfg.toString().contains("t0p-secret"), cfg.toString());
        assertTrue(cfg.toString().contains("mode=VERIFY_CA"), cfg.toString());
    }

    @Test
    void badSettingsNameTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreConfig.fromSettings(Map.of("cdc.store.user", "u"), ""));
        assertTrue(e.getMessage().contains("cdc.store.url"), e.getMessage());
        IllegalArgumentException notJdbc = assertThrows(IllegalArgumentException.class, () -> new StoreConfig("mysql://db/cdc_store", "u", "p"));
        assertTrue(notJdbc.getMessage().contains("cdc.store.url"), notJdbc.getMessage());
    }

    @Test
    void readsPrefixedSettingsAndKafkaPasswords() {
        StoreConfig cfg = StoreConfig.fromSettings(Map.of("x.cdc.store.url", "jdbc:mysql://db/cdc_store", "x.cdc.store.user", "u",
                "x.cdc.store.password", new Password("p w")), "x.");
        assertEquals(new StoreConfig("jdbc:mysql://db/cdc_store", "u", "p w"), cfg);
    }
}
