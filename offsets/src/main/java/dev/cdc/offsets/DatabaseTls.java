package dev.cdc.offsets;

import dev.cdc.contract.OperatorFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TLS to a MySQL-compatible server (source or shared store): the mode, and the trust store that holds the CA of the
 * server's certificate. Each part is passed through to mysql-connector-j ({@code sslMode},
 * {@code trustCertificateKeyStoreUrl}, {@code trustCertificateKeyStorePassword}); an unset mode leaves the driver's
 * default (PREFERRED: TLS when the server offers it, unverified). {@link #toString()} never shows the password.
 *
 * @param mode               DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY; null = driver default
 * @param trustStore         a PKCS12 or JKS file; null = the JVM's default trust store (public CAs)
 * @param trustStorePassword the trust store's password, or null
 */
public record DatabaseTls(String mode, String trustStore, String trustStorePassword) {

    public static final List<String> MODES = List.of("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY");
    /** No TLS setting: the driver's defaults. */
    public static final DatabaseTls DRIVER_DEFAULT = new DatabaseTls(null, null, null);

    /** Setting names below a database's prefix ({@code cdc.store.tls.mode}, {@code cdc.source.tls.mode}). */
    public static final String MODE = "tls.mode";
    public static final String TRUST_STORE = "tls.trust-store";
    public static final String TRUST_STORE_PASSWORD = "tls.trust-store-password";

    public DatabaseTls {
        mode = blank(mode) ? null : mode.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        trustStore = blank(trustStore) ? null : trustStore.trim();
        trustStorePassword = blank(trustStorePassword) ? null : trustStorePassword;
    }

    /**
     * Checked settings of the database whose keys start with {@code prefix} (e.g. {@code cdc.store.}); a bad value is
     * an {@link OperatorFailure} naming the key and the fix.
     */
    public static DatabaseTls of(String prefix, String mode, String trustStore, String trustStorePassword) {
        DatabaseTls tls = new DatabaseTls(mode, trustStore, trustStorePassword);
        if (tls.mode != null && !MODES.contains(tls.mode)) {
            throw OperatorFailure.configuration(prefix + MODE + " '" + mode + "' is not a TLS mode", "use one of " + String.join(", ", MODES));
        }
        if (tls.trustStore != null && !Files.isReadable(Path.of(tls.trustStore))) {
            throw OperatorFailure.configuration(prefix + TRUST_STORE + " '" + tls.trustStore + "' is not a readable file",
                    "give the path of a PKCS12 or JKS trust store holding the server's CA certificate");
        }
        if (tls.trustStore != null && tls.mode == null) {
            throw OperatorFailure.configuration(prefix + TRUST_STORE + " is set but " + prefix + MODE + " is not",
                    "set it to VERIFY_CA or VERIFY_IDENTITY so that the server's certificate is checked");
        }
        return tls;
    }

    /** Reads {@code <prefix>tls.mode}, {@code .trust-store} and {@code .trust-store-password} from a settings map. */
    public static DatabaseTls fromSettings(Map<String, ?> settings, String prefix) {
        return of(prefix, string(settings.get(prefix + MODE)), string(settings.get(prefix + TRUST_STORE)),
                string(settings.get(prefix + TRUST_STORE_PASSWORD)));
    }

    /** The same settings as a map, for a configuration that is read back with {@link #fromSettings}. */
    public Map<String, String> toSettings(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        if (mode != null) {
            out.put(prefix + MODE, mode);
        }
        if (trustStore != null) {
            out.put(prefix + TRUST_STORE, trustStore);
        }
        if (trustStorePassword != null) {
            out.put(prefix + TRUST_STORE_PASSWORD, trustStorePassword);
        }
        return out;
    }

    /** mysql-connector-j connection properties; empty when nothing is configured. */
    public Map<String, String> driverProperties() {
        Map<String, String> out = new LinkedHashMap<>();
        if (mode != null) {
            out.put("sslMode", mode);
        }
        if (trustStore != null) {
            out.put("trustCertificateKeyStoreUrl", Path.of(trustStore).toAbsolutePath().toUri().toString());
            out.put("trustCertificateKeyStoreType", trustStore.toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12");
        }
        if (trustStorePassword != null) {
            out.put("trustCertificateKeyStorePassword", trustStorePassword);
        }
        return out;
    }

    public boolean verifiesCertificate() {
        return "VERIFY_CA".equals(mode) || "VERIFY_IDENTITY".equals(mode);
    }

    @Override
    public String toString() {
        return "DatabaseTls[mode=" + (mode == null ? "driver default" : mode) + ", trustStore=" + trustStore
                + ", trustStorePassword=" + (trustStorePassword == null ? "unset" : "****") + "]";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String string(Object value) {
        if (value instanceof org.apache.kafka.common.config.types.Password hidden) {
            return hidden.value();
        }
        return value == null ? null : value.toString();
    }
}
