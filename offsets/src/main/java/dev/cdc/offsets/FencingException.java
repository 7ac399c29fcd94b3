package dev.cdc.offsets;

/**
 * A write to the shared store was refused because the writer's lease epoch is no longer the current one: another
 * instance has acquired the lease since. The writer must stop its engine at once.
 */
public class FencingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String connectorName;
    private final long writerEpoch;
    private final Long currentEpoch;
    private final String currentOwner;

    /**
     * @param currentEpoch null when there is no lease row at all
     */
    public FencingException(String connectorName, long writerEpoch, Long currentEpoch, String currentOwner) {
        super(message(connectorName, writerEpoch, currentEpoch, currentOwner));
        this.connectorName = connectorName;
        this.writerEpoch = writerEpoch;
        this.currentEpoch = currentEpoch;
        this.currentOwner = currentOwner;
    }

    private static String message(String connectorName, long writerEpoch, Long currentEpoch, String currentOwner) {
        if (currentEpoch == null) {
            return "Fenced: connector " + connectorName + " has no lease in the shared store; this writer has epoch " + writerEpoch
                    + " and must stop";
        }
        return "Fenced: connector " + connectorName + " is now at lease epoch " + currentEpoch + " held by " + currentOwner
                + "; this writer has epoch " + writerEpoch + " and must stop";
    }

    public String connectorName() {
        return connectorName;
    }

    public long writerEpoch() {
        return writerEpoch;
    }

    /** The epoch in the store when the write was refused, or null if the connector has no lease row. */
    public Long currentEpoch() {
        return currentEpoch;
    }

    public String currentOwner() {
        return currentOwner;
    }
}
