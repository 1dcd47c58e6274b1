package dev.scaler.target;

/**
 * Observing and scaling one kind of target: a compose service, a swarm service, a fleet of hosts. The loop and
 * a manual scale use the same driver, so they count and act alike; {@link TargetDrivers} picks it by kind.
 */
public interface TargetDriver {

    /** What runs now. Never throws for a fault of what it asks: the count is then empty and the failure says why. */
    Observation observe(Target target, Tick tick);

    /**
     * Changes the target from what {@code seen} counted to {@code replicas}; in a dry run records what would run
     * without running anything. Never throws for a failed run: every run comes back with its outcome.
     */
    ScaleOutcome scale(Target target, Observation seen, int replicas, boolean dryRun, Tick tick);
}
