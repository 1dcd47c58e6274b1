package dev.scaler.containers;

import java.time.Duration;

/**
 * Settings of the container-metrics collector, under {@code scaler.container-metrics.}. Read and checked by
 * {@code dev.scaler.config.Configurations}; the defaults are the constants here.
 *
 * @param enabled     sample the containers of the local targets and export {@code scaler_container_*}
 * @param interval    time between the end of one round of samples and the start of the next
 * @param concurrency containers sampled at once; the engine takes about a second per container (it waits
 *                    for a second reading to work out CPU), so this bounds how long a round of 100 takes
 */
public record ContainerMetricsConfiguration(boolean enabled, Duration interval, int concurrency) {

    public static final boolean DEFAULT_ENABLED = true;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final int MAX_CONCURRENCY = 32;

    public static ContainerMetricsConfiguration defaults() {
        return new ContainerMetricsConfiguration(DEFAULT_ENABLED, DEFAULT_INTERVAL, DEFAULT_CONCURRENCY);
    }
}
