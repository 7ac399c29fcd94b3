package dev.cdc.demo.bench;

import java.time.Duration;

/**
 * The knobs of {@link ChaosRun}, from system properties (the demo profile passes them through; README "Benchmarks").
 *
 * @param rounds          faults injected, one per round (chaos.rounds, default 10)
 * @param seed            fixes the order of the faults, their moments and the workload's choices (chaos.seed, default random)
 * @param rate            workload transactions per second (chaos.rate, default 25)
 * @param roundLoad       workload time after the fault's recovery, before the round's convergence check (chaos.round-seconds, default 8)
 * @param convergeTimeout how long a convergence check waits (chaos.converge-timeout-seconds, default 180)
 * @param keyRows         rows of shop.moving_keys, whose keys one statement moves (chaos.key-rows, default 1000)
 * @param bulkEvery       time between two bulk key moves (chaos.bulk-every-seconds, default 5)
 */
record ChaosSettings(int rounds, long seed, int rate, Duration roundLoad, Duration convergeTimeout, int keyRows, Duration bulkEvery) {

    static ChaosSettings fromSystemProperties() {
        String seedText = System.getProperty("chaos.seed", "").strip();
        long seed = seedText.isEmpty() ? new java.security.SecureRandom().nextLong() : parse("chaos.seed", seedText);
        return new ChaosSettings(
                (int) positive("chaos.rounds", 10),
                seed,
                (int) positive("chaos.rate", 25),
                Duration.ofSeconds(positive("chaos.round-seconds", 8)),
                Duration.ofSeconds(positive("chaos.converge-timeout-seconds", 180)),
                (int) positive("chaos.key-rows", 1000),
                Duration.ofSeconds(positive("chaos.bulk-every-seconds", 5)));
    }

    private static long positive(String name, long defaultValue) {
        String text = System.getProperty(name, "").strip();
        if (text.isEmpty()) {
            return defaultValue;
        }
        long value = parse(name, text);
        if (value <= 0) {
            throw new IllegalArgumentException("-D" + name + "=" + text + " must be positive, e.g. -D" + name + "=" + defaultValue);
        }
        return value;
    }

    private static long parse(String name, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + "=" + text + " is not a whole number; give one, e.g. -D" + name + "=10");
        }
    }
}
