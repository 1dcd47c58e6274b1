package dev.scaler.decision;

import java.time.Duration;
import java.util.Objects;

/**
 * How one target is scaled. Target tracking: desired = ceil(load / capacityPerReplica), kept when
 * the load is within {@code tolerance} of what the running replicas can carry.
 *
 * @param minReplicas            lower bound, inclusive
 * @param maxReplicas            upper bound, inclusive
 * @param capacityPerReplica     load one replica should carry (same unit as the metric)
 * @param tolerance              relative band around 1.0 usage in which nothing changes (0.1 = 10 %)
 * @param scaleUpCooldown        time after a scale-up before the next scale-up
 * @param scaleDownCooldown      time after any scale action before a scale-down
 * @param scaleUpStabilization   act on the lowest recommendation of this window when scaling up
 * @param scaleDownStabilization act on the highest recommendation of this window when scaling down
 * @param scaleUpLimit           per-action limit when adding replicas
 * @param scaleDownLimit         per-action limit when removing replicas
 * @param fallback               what to do after repeated failed readings
 * @param retryBackoff           delay before retrying a failed action
 */
public record Policy(int minReplicas,
                     int maxReplicas,
                     double capacityPerReplica,
                     double tolerance,
                     Duration scaleUpCooldown,
                     Duration scaleDownCooldown,
                     Duration scaleUpStabilization,
                     Duration scaleDownStabilization,
                     StepLimit scaleUpLimit,
                     StepLimit scaleDownLimit,
                     Fallback fallback,
                     Backoff retryBackoff) {

    public Policy {
        if (minReplicas < 0) {
            throw new IllegalArgumentException("min-replicas must be >= 0, got " + minReplicas);
        }
        if (maxReplicas < 1) {
            throw new IllegalArgumentException("max-replicas must be >= 1, got " + maxReplicas);
        }
        if (maxReplicas < minReplicas) {
            throw new IllegalArgumentException("max-replicas (" + maxReplicas + ") must be >= min-replicas ("
                    + minReplicas + ")");
        }
        if (!(capacityPerReplica > 0) || Double.isInfinite(capacityPerReplica)) {
            throw new IllegalArgumentException("capacity-per-replica must be a positive number, got " + capacityPerReplica);
        }
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
        }
        requireNonNegative("scale-up-cooldown", scaleUpCooldown);
        requireNonNegative("scale-down-cooldown", scaleDownCooldown);
        requireNonNegative("scale-up-stabilization", scaleUpStabilization);
        requireNonNegative("scale-down-stabilization", scaleDownStabilization);
        Objects.requireNonNull(scaleUpLimit, "scale-up-limit");
        Objects.requireNonNull(scaleDownLimit, "scale-down-limit");
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(retryBackoff, "retry-backoff");
        if (fallback.enabled() && (fallback.replicas() < minReplicas || fallback.replicas() > maxReplicas)) {
            throw new IllegalArgumentException("fallback.replicas (" + fallback.replicas() + ") must be within min-replicas ("
                    + minReplicas + ") and max-replicas (" + maxReplicas + ")");
        }
    }

    /** The defaults documented in README, for a given range and capacity. */
    public static Policy defaults(int min, int max, double capacityPerReplica) {
        return new Policy(min, max, capacityPerReplica, 0.1,
                Duration.ofSeconds(60), Duration.ofSeconds(300),
                Duration.ZERO, Duration.ofSeconds(300),
                StepLimit.NONE, StepLimit.NONE, Fallback.OFF,
                new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10)));
    }

    /** How far back the decider needs recommendations. */
    public Duration stabilizationLookback() {
        return scaleUpStabilization.compareTo(scaleDownStabilization) > 0 ? scaleUpStabilization : scaleDownStabilization;
    }

    public int clamp(int replicas) {
        return Math.max(minReplicas, Math.min(maxReplicas, replicas));
    }

    private static void requireNonNegative(String name, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a duration >= 0, got " + d);
        }
    }
}
