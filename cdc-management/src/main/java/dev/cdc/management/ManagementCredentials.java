package dev.cdc.management;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Who may call the management endpoints that are sensitive (every endpoint but /health and /prometheus, and each is
 * off unless enabled under {@code endpoints.<name>.enabled}). Bound from {@code cdc.management.*}; the password comes
 * from the environment ({@code CDC_MANAGEMENT_PASSWORD}). Without a password nobody is let in.
 */
@ConfigurationProperties("cdc.management")
public class ManagementCredentials {

    public static final String DEFAULT_USER = "cdc-admin";

    private String user = DEFAULT_USER;
    @Nullable
    private String password;

    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }
    @Nullable
    public String getPassword() { return password; }
    public void setPassword(@Nullable String password) { this.password = password; }

    public boolean hasPassword() {
        return password != null && !password.isBlank();
    }

    @Override
    public String toString() {
        return "ManagementCredentials[user=" + user + ", password=" + (hasPassword() ? "****" : "unset") + "]";
    }
}
