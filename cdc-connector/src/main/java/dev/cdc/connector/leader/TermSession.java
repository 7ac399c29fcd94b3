package dev.cdc.connector.leader;

import dev.cdc.offsets.Lease;

/** What runs during one leadership term (the engine and its producer), as the leadership loop sees it. */
public interface TermSession {

    /** Told once when the session has stopped, for whatever reason. */
    interface Listener {
        void sessionStopped(TermSession session, boolean success, String message, Throwable error);
    }

    /** The term this session belongs to. */
    Lease lease();

    /** Starts in the background; throws when the session cannot even be started. */
    void start();

    /** Stops publishing at once and closes in the background. */
    void stop(String reason);

    /** Waits until the session has stopped: its engine closed and its threads ended (after {@link #stop}, or on its own). */
    boolean awaitStopped(long millis) throws InterruptedException;
}
