package dev.scaler;

import io.micronaut.context.exceptions.ConfigurationException;

import java.time.Duration;

/**
 * Settings of the scaling loop itself, under {@code scaler.}. Target settings live in
 * {@code scaler.targets.<name>}; Prometheus, execution and history have their own prefixes. Read and
 * checked by {@code dev.scaler.config.Configurations}; the defaults are the constants here.
 *
 * @param pollInterval time between two evaluations of each target
 * @param dryRun       decide and record, but execute nothing (for every target)
 * @param workers      targets evaluated in parallel
 * @param initialDelay time from startup to the first evaluation
 */
public record ScalerConfiguration(Duration pollInterval, boolean dryRun, int workers, Duration initialDelay) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(15);
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
    public static final int DEFAULT_WORKERS = 8;
    public static final int MAX_WORKERS = 256;

    public ScalerConfiguration {
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new ConfigurationException("scaler.poll-interval: must be more than 0, got " + pollInterval);
        }
        if (initialDelay == null || initialDelay.isNegative()) {
            throw new ConfigurationException("scaler.initial-delay: must be >= 0, got " + initialDelay);
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new ConfigurationException("scaler.workers: must be from 1 to " + MAX_WORKERS + ", got " + workers);
        }
    }

    /** With the default initial delay. */
    public ScalerConfiguration(Duration pollInterval, boolean dryRun, int workers) {
        this(pollInterval, dryRun, workers, DEFAULT_INITIAL_DELAY);
    }

    public static ScalerConfiguration defaults() {
        return new ScalerConfiguration(DEFAULT_POLL_INTERVAL, false, DEFAULT_WORKERS, DEFAULT_INITIAL_DELAY);
    }
}
