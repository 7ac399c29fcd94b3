package dev.cdc.processor.consumer;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One writer of the target at a time inside this processor: held by the poll thread while it handles a batch and by the
 * repair-request executor while it replays, so a replayed key and a streamed change of it are never applied at once.
 * Shutdown closes the gate and waits for the holder, so that the connection pool closes after the last transaction.
 */
@Singleton
public class ApplyGate {

    private final ReentrantLock lock = new ReentrantLock();
    private final Object sleeper = new Object();
    private volatile boolean open = true;

    public boolean isOpen() {
        return open;
    }

    public void enter() {
        lock.lock();
    }

    public void leave() {
        lock.unlock();
    }

    /** Closes the gate and waits up to {@code wait} for the current holder; true when nobody holds it any more. */
    public boolean close(Duration wait) {
        open = false;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        boolean free = false;
        try {
            free = lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (free) {
                lock.unlock();
            }
        }
        return free;
    }

    /** Waits for {@code delay}, or less when the gate closes meanwhile. */
    public void sleep(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (sleeper) {
            long left;
            while (open && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(sleeper, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
