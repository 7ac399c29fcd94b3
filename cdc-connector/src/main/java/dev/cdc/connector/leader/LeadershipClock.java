package dev.cdc.connector.leader;

/** The monotonic clock and the waits of the leadership loop, replaceable so that its timing rules are unit-testable. */
public interface LeadershipClock {

    long nanoTime();

    void sleep(long millis) throws InterruptedException;

    LeadershipClock SYSTEM = new LeadershipClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }
    };
}
