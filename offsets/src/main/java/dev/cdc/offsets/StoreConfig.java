package dev.cdc.offsets;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.types.Password;

/**
 * Where the shared store lives, who logs in and how the connection is encrypted. {@link #toString()} and
 * {@link #safeUrl()} never show a password, also when it is embedded in the URL ({@code user:secret@host} or
 * {@code ?password=secret}).
 */
public record StoreConfig(String url, String user, String password, DatabaseTls tls) {

    /** Setting names used by the connector and the CLI (and, without prefix, by {@link #fromSettings}). */
    public static final String URL = "cdc.store.url";
    public static final String USER = "cdc.store.user";
    public static final String PASSWORD = "cdc.store.password";
    /** Prefix of the TLS settings: {@code cdc.store.tls.mode}, {@code .trust-store}, {@code .trust-store-password}. */
    public static final String PREFIX = "cdc.store.";

    private static final Pattern URL_CREDENTIALS = Pattern.compile("(//[^/@?]*?):[^/@?]*@");
    private static final Pattern URL_PASSWORD_PARAM = Pattern.compile(
            "(?i)([?&;](?:password|password1|password2|password3|trustCertificateKeyStorePassword|clientCertificateKeyStorePassword)=)[^&;]*");

    public StoreConfig {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Shared store URL is empty: set " + URL + " (e.g. jdbc:mysql://host:3306/cdc_store)");
        }
        if (!url.startsWith("jdbc:mysql:")) { // the bundled driver is mysql-connector-j; it also serves MariaDB
            throw new IllegalArgumentException("Shared store URL " + redact(url)
                    + " is not a MySQL JDBC URL: set " + URL + " to jdbc:mysql://host:3306/cdc_store");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("Shared store user is empty: set " + USER);
        }
        password = password == null ? "" : password;
        tls = tls == null ? DatabaseTls.DRIVER_DEFAULT : tls;
    }

    /** A store reached with the driver's TLS defaults (or what the URL says). */
    public StoreConfig(String url, String user, String password) {
        this(url, user, password, DatabaseTls.DRIVER_DEFAULT);
    }

    /**
     * Reads {@code <prefix>cdc.store.url}, {@code .user}, {@code .password} and {@code .tls.*} from a settings map
     * (values may be any object; they are taken with {@code toString()}).
     */
    public static StoreConfig fromSettings(Map<String, ?> settings, String prefix) {
        Objects.requireNonNull(settings, "settings");
        String p = prefix == null ? "" : prefix;
        Object password = settings.get(p + PASSWORD);
        if (password instanceof Password hidden) {
            password = hidden.value();
        }
        return new StoreConfig(string(settings, p + URL, true), string(settings, p + USER, true), password == null ? null : password.toString(),
                DatabaseTls.fromSettings(settings, p + PREFIX));
    }

    /** The URL with any password in it replaced by {@code ****}; safe for logs and error messages. */
    public String safeUrl() {
        return redact(url);
    }

    @Override
    public String toString() {
        return "StoreConfig[url=" + safeUrl() + ", user=" + user + ", password=****"
                + (tls.equals(DatabaseTls.DRIVER_DEFAULT) ? "" : ", tls=" + tls) + "]";
    }

    static String redact(String url) {
        if (url == null) {
            return null;
        }
        String out = URL_CREDENTIALS.matcher(url).replaceAll("$1:****@");
        return URL_PASSWORD_PARAM.matcher(out).replaceAll("$1****");
    }

    static String string(Map<String, ?> settings, String key, boolean required) {
        Object value = settings.get(key);
        if (value instanceof Password hidden) {
            value = hidden.value();
        }
        if (value == null || value.toString().isBlank()) {
            if (required) {
                throw new IllegalArgumentException("Missing setting " + key + ": set it to reach the shared store");
            }
            return null;
        }
        return value.toString().trim();
    }
}
