package dev.cdc.offsets.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.offsets.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path file = dir.resolve("application.yml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverTheConfigFile() throws Exception {
        Path config = yaml("""
                cdc:
                  name: from-file
                  store:
                    url: jdbc:mysql://file-host:3306/cdc_store
                    user: file_user
                    password: file-secret
                  source:
                    url: jdbc:mysql://file-source:3307
                kafka:
                  bootstrap:
                    servers: file-kafka:9092
                """);
        Options.Common common = new Options.Common();
        common.config = config;
        Options.Source source = new Options.Source();
        Options.Kafka kafka = new Options.Kafka();

        Settings fileOnly = new Settings(Map.of(), config);
        assertEquals("from-file", fileOnly.connector(common));
        StoreConfig store = fileOnly.store(common);
        assertEquals("jdbc:mysql://file-host:3306/cdc_store", store.url());
        assertEquals("file_user", store.user());
        assertEquals("file-secret", store.password());
        assertEquals("file-source", fileOnly.source(source).host());
        assertEquals(3307, fileOnly.source(source).port());
        assertEquals("cdc", fileOnly.source(source).user(), "the connector's default source user");
        assertEquals("file-kafka:9092", fileOnly.kafka(kafka, "from-file").bootstrap());
        assertEquals("cdc-processor", fileOnly.kafka(kafka, "from-file").group());
        assertEquals("from-file", fileOnly.kafka(kafka, "from-file").topicPrefix());

        Map<String, String> env = Map.of("CDC_NAME", "from-env", "CDC_STORE_URL", "jdbc:mysql://env-host/cdc_store", "CDC_STORE_PASSWORD", "env-secret",
                "KAFKA_BOOTSTRAP_SERVERS", "env-kafka:9092");
        Settings withEnv = new Settings(env, config);
        assertEquals("from-env", withEnv.connector(common));
        assertEquals("jdbc:mysql://env-host/cdc_store", withEnv.store(common).url());
        assertEquals("file_user", withEnv.store(common).user());
        assertEquals("env-secret", withEnv.store(common).password());
        assertEquals("env-kafka:9092", withEnv.kafka(kafka, "x").bootstrap());

        common.connector = "from-flag";
        common.storeUrl = "jdbc:mysql://flag-host/cdc_store";
        Path passwordFile = dir.resolve("store-password");
        Files.writeString(passwordFile, "file-flag-secret\n");
        common.storePasswordFile = passwordFile;
        kafka.bootstrap = "flag-kafka:9092";
        assertEquals("from-flag", withEnv.connector(common));
        assertEquals("jdbc:mysql://flag-host/cdc_store", withEnv.store(common).url());
        assertEquals("file-flag-secret", withEnv.store(common).password(), "trailing newline of a password file is dropped");
        assertEquals("flag-kafka:9092", withEnv.kafka(kafka, "x").bootstrap());
    }

    @Test
    void dottedKeysKebabCaseAndPlaceholdersAreReadLikeMicronaut() throws Exception {
        Path config = yaml("""
                cdc.name: shop
                cdc.topic-prefix: shop-cdc
                cdc:
                  store:
                    url: ${STORE_URL:jdbc:mysql://default-host/cdc_store}
                    password: ${CDC_STORE_PASSWORD}
                  source.url: jdbc:mariadb://src:3310/ignored?sslMode=DISABLED
                  processor:
                    groupId: my-group
                """);
        Options.Common common = new Options.Common();
        Settings s = new Settings(Map.of("CDC_STORE_PASSWORD", "from-env"), config);
        assertEquals("shop", s.connector(common));
        assertEquals("jdbc:mysql://default-host/cdc_store", s.store(common).url());
        assertEquals("from-env", s.store(common).password());
        Settings.SourceTarget source = s.source(new Options.Source());
        assertEquals("src", source.host());
        assertEquals(3310, source.port());
        assertTrue(source.url().startsWith("jdbc:mysql://src:3310/?sslMode=DISABLED&connectTimeout=5000"), source.url());
        Settings.KafkaTarget kafka = s.kafka(new Options.Kafka(), "shop");
        assertNull(kafka.bootstrap());
        assertEquals("my-group", kafka.group());
        assertEquals("shop-cdc", kafka.topicPrefix());
    }

    @Test
    void missingOrBrokenSettingsAreOneLineUsageErrors() throws Exception {
        Options.Common common = new Options.Common();
        CliException none = assertThrows(CliException.class, () -> new Settings(Map.of(), null).store(common));
        assertEquals(ExitCode.USAGE, none.exitCode());
        assertTrue(none.line().startsWith("offsets: No shared store given. Fix: pass --store-url"), none.line());

        common.config = dir.resolve("missing.yml");
        CliException missing = assertThrows(CliException.class, () -> new Settings(Map.of(), common.config));
        assertTrue(missing.line().contains("does not exist"), missing.line());

        Path broken = yaml("cdc: [unclosed");
        CliException invalid = assertThrows(CliException.class, () -> new Settings(Map.of(), broken));
        assertTrue(invalid.line().contains("is not valid YAML"), invalid.line());
        assertFalse(invalid.line().contains("\n"));

        Path unresolved = yaml("cdc.store.url: ${NOT_SET_ANYWHERE}");
        Options.Common c2 = new Options.Common();
        CliException placeholder = assertThrows(CliException.class, () -> new Settings(Map.of(), unresolved).store(c2));
        assertTrue(placeholder.line().contains("export NOT_SET_ANYWHERE"), placeholder.line());

        Options.Common c3 = new Options.Common();
        c3.storeUrl = "jdbc:postgresql://h/db";
        c3.storePassword = "hunter2";
        CliException wrongDriver = assertThrows(CliException.class, () -> new Settings(Map.of(), null).store(c3));
        assertTrue(wrongDriver.line().contains("is not a MySQL JDBC URL"), wrongDriver.line());
        assertFalse(wrongDriver.line().contains("hunter2"));

        Options.Source src = new Options.Source();
        src.sourceUrl = "jdbc:mysql://user:hunter2@/nohost";
        CliException noHost = assertThrows(CliException.class, () -> new Settings(Map.of(), null).source(src));
        assertFalse(noHost.line().contains("hunter2"), noHost.line());
    }

    @Test
    void storeTlsComesFromTheConfigFileOrTheEnvironment() throws Exception {
        Path trustStore = Files.createFile(dir.resolve("ca.p12"));
        Path config = yaml("""
                cdc:
                  store:
                    url: jdbc:mysql://file-host:3306/cdc_store
                    tls:
                      mode: VERIFY_CA
                      trust-store: %s
                """.formatted(trustStore));
        Options.Common common = new Options.Common();
        StoreConfig store = new Settings(Map.of("CDC_STORE_TLS_TRUST_STORE_PASSWORD", "ts-secret"), config).store(common);
        assertEquals("VERIFY_CA", store.tls().mode());
        assertEquals(trustStore.toString(), store.tls().trustStore());
        assertEquals("ts-secret", store.tls().trustStorePassword());
        assertFalse(store.toString().contains("ts-secret"));

        CliException bad = assertThrows(CliException.class,
                () -> new Settings(Map.of("CDC_STORE_TLS_MODE", "yes"), config).store(common));
        assertEquals("cdc.store.tls.mode 'yes' is not a TLS mode", bad.what());
        assertTrue(bad.fix().startsWith("use one of DISABLED"), bad.fix());
    }
}
