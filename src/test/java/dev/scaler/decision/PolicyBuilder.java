package dev.scaler.decision;

import java.time.Duration;

/** Test helper: a policy with one or two fields changed. */
final class PolicyBuilder {
    private int min;
    private int max;
    private double capacity;
    private double tolerance;
    private Duration upCooldown;
    private Duration downCooldown;
    private Duration upStabilization;
    private Duration downStabilization;
    private StepLimit upLimit;
    private StepLimit downLimit;
    private Fallback fallback;
    private final Backoff backoff;

    PolicyBuilder(Policy p) {
        min = p.minReplicas();
        max = p.maxReplicas();
        capacity = p.capacityPerReplica();
        tolerance = p.tolerance();
        upCooldown = p.scaleUpCooldown();
        downCooldown = p.scaleDownCooldown();
        upStabilization = p.scaleUpStabilization();
        downStabilization = p.scaleDownStabilization();
        upLimit = p.scaleUpLimit();
        downLimit = p.scaleDownLimit();
        fallback = p.fallback();
        backoff = p.retryBackoff();
    }

    PolicyBuilder min(int v) { min = v; return this; }
    PolicyBuilder capacity(double v) { capacity = v; return this; }
    PolicyBuilder tolerance(double v) { tolerance = v; return this; }
    PolicyBuilder cooldowns(int upSeconds, int downSeconds) {
        upCooldown = Duration.ofSeconds(upSeconds);
        downCooldown = Duration.ofSeconds(downSeconds);
        return this;
    }
    PolicyBuilder upStabilization(int seconds) { upStabilization = Duration.ofSeconds(seconds); return this; }
    PolicyBuilder upLimit(int replicas, int percent) { upLimit = new StepLimit(replicas, percent); return this; }
    PolicyBuilder downLimit(int replicas, int percent) { downLimit = new StepLimit(replicas, percent); return this; }
    PolicyBuilder fallback(int after, int replicas) { fallback = new Fallback(after, replicas); return this; }

    Policy build() {
        return new Policy(min, max, capacity, tolerance, upCooldown, downCooldown, upStabilization, downStabilization,
                upLimit, downLimit, fallback, backoff);
    }
}
