package dev.cdc.connector.config;

import dev.cdc.offsets.DatabaseTls;

/**
 * The TLS keys of one database connection ({@code <db>.tls.mode}, {@code .trust-store}, {@code .trust-store-password}),
 * as bound by Micronaut; {@link #check} turns them into a {@link DatabaseTls} or a one-line startup error.
 */
public class TlsSettings {

    /** DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY; unset = the driver's default (PREFERRED). */
    private String mode;
    /** PKCS12 or JKS file with the CA of the server's certificate; unset = the JVM's trust store. */
    private String trustStore;
    /** From the environment (e.g. CDC_SOURCE_TLS_TRUST_STORE_PASSWORD). */
    private String trustStorePassword;

    public String getMode() { return mode; }
    public void setMode(String mode) { this.mode = mode; }
    public String getTrustStore() { return trustStore; }
    public void setTrustStore(String trustStore) { this.trustStore = trustStore; }
    public String getTrustStorePassword() { return trustStorePassword; }
    public void setTrustStorePassword(String trustStorePassword) { this.trustStorePassword = trustStorePassword; }

    /** @param prefix the keys' prefix, e.g. {@code cdc.source.} */
    public DatabaseTls check(String prefix) {
        return DatabaseTls.of(prefix, mode, trustStore, trustStorePassword);
    }

    @Override
    public String toString() {
        return new DatabaseTls(mode, trustStore, trustStorePassword).toString();
    }
}
