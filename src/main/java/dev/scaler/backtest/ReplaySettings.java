package dev.scaler.backtest;

import java.time.Duration;
import java.util.Objects;

/**
 * How the world behaves in a replay.
 *
 * @param capacityPerReplica load one replica can really carry: demand = ceil(load / capacity). May differ from
 *                           a policy's capacity-per-replica, which is what the policy aims for
 * @param startDelay         time from a scale-up until the new replicas serve (image start, warm-up)
 * @param interval           time between two decisions (the service's poll interval); null = the trace's step
 * @param initialReplicas    replicas running, and ready, when the replay starts; null = the policy's min-replicas
 */
public record ReplaySettings(double capacityPerReplica, Duration startDelay, Duration interval, Integer initialReplicas) {

    public ReplaySettings {
        if (!(capacityPerReplica > 0) || Double.isInfinite(capacityPerReplica)) {
            throw new BacktestInputException("--capacity must be a positive number, got " + capacityPerReplica);
        }
        Objects.requireNonNull(startDelay, "startDelay");
        if (startDelay.isNegative()) {
            throw new BacktestInputException("--start-delay must be >= 0, got " + startDelay);
        }
        if (interval != null && (interval.isNegative() || interval.isZero() || interval.toMillis() == 0)) {
            throw new BacktestInputException("--interval must be at least 1ms, got " + interval);
        }
        if (initialReplicas != null && initialReplicas < 0) {
            throw new BacktestInputException("--initial-replicas must be >= 0, got " + initialReplicas);
        }
    }
}
