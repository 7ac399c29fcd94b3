package dev.cdc.localstack;

/**
 * No MySQL server can be had on this machine. {@link #machineUnsupported()} tells a machine that cannot run the
 * archive's build at all (not Linux, no apt/dpkg, no Debian keyring) from one where fetching it failed.
 */
public final class MySqlUnavailableException extends IllegalStateException {

    private final boolean machineUnsupported;

    public MySqlUnavailableException(String message, boolean machineUnsupported) {
        super(message);
        this.machineUnsupported = machineUnsupported;
    }

    public MySqlUnavailableException(String message, Throwable cause) {
        super(message, cause);
        this.machineUnsupported = false;
    }

    public boolean machineUnsupported() {
        return machineUnsupported;
    }
}
