package dev.scaler.loop;

import dev.scaler.execution.PlaybookResult;
import dev.scaler.execution.ScaleExecutor;
import dev.scaler.observation.ObservationException;
import dev.scaler.observation.ReplicaObserver;
import dev.scaler.swarm.SwarmDriver;
import dev.scaler.target.Target;

import java.util.Objects;

/**
 * Counts and scales a target that is one service, a compose service or a swarm service, by its kind: the
 * one place that chooses, for the loop and for a manual scale alike. A fleet has its own driver.
 */
public final class LocalScale {

    private final ReplicaObserver compose;
    private final ScaleExecutor composeExecutor;
    private final SwarmDriver swarm;

    /** @param swarm null where no swarm target can occur (evaluators wired by hand in tests) */
    public LocalScale(ReplicaObserver compose, ScaleExecutor composeExecutor, SwarmDriver swarm) {
        this.compose = Objects.requireNonNull(compose, "compose");
        this.composeExecutor = Objects.requireNonNull(composeExecutor, "composeExecutor");
        this.swarm = swarm;
    }

    /** Running replicas: a compose service's running containers, a swarm service's running tasks. */
    public int running(Target target) throws ObservationException {
        requireLocal(target);
        return target.isSwarm() ? swarm.observe(target.swarm()).running()
                : compose.runningReplicas(target.compose().projectName(), target.compose().service());
    }

    /** Runs the target's playbook: {@code scale.yml} for compose, {@code swarm_scale.yml} for swarm. */
    public PlaybookResult scale(Target target, int replicas) {
        requireLocal(target);
        return target.isSwarm() ? swarm.scale(target.name(), target.swarm(), replicas)
                : composeExecutor.scale(target.name(), target.compose(), replicas);
    }

    private static void requireLocal(Target target) {
        if (target.isFleet()) {
            throw new IllegalArgumentException("target " + target.name() + " is a fleet: " + target.describe());
        }
    }
}
