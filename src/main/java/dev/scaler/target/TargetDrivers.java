package dev.scaler.target;

import java.util.Objects;

/** The one place that picks a target's driver by its kind. */
public final class TargetDrivers {

    private final TargetDriver compose;
    private final TargetDriver swarm;
    private final TargetDriver fleet;

    /** @param swarm, fleet null where no such target can occur (evaluators wired by hand in tests) */
    public TargetDrivers(TargetDriver compose, TargetDriver swarm, TargetDriver fleet) {
        this.compose = Objects.requireNonNull(compose, "compose");
        this.swarm = swarm;
        this.fleet = fleet;
    }

    public TargetDriver of(Target target) {
        TargetDriver driver = target.isFleet() ? fleet : target.isSwarm() ? swarm : compose;
        if (driver == null) {
            throw new IllegalStateException("no driver for target " + target.name() + ": " + target.describe());
        }
        return driver;
    }
}
