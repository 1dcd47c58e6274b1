package dev.scaler.loop;

import dev.scaler.observation.ComposeFileLabels;
import dev.scaler.observation.ObservationException;
import dev.scaler.observation.ReplicaObserver;
import dev.scaler.policy.LabelOverrides;
import dev.scaler.swarm.SwarmDriver;
import dev.scaler.target.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The policy of a target with its service's {@code scaler.*} labels applied: the one place that reads them,
 * so the loop and a manual scale hold a target to the same bounds. A fleet has no labels.
 */
public final class TargetLabels {

    private static final Logger LOG = LoggerFactory.getLogger(TargetLabels.class);

    private final ReplicaObserver compose;
    private final SwarmDriver swarm;

    /** @param swarm null where no swarm target can occur (evaluators wired by hand in tests) */
    public TargetLabels(ReplicaObserver compose, SwarmDriver swarm) {
        this.compose = Objects.requireNonNull(compose, "compose");
        this.swarm = swarm;
    }

    /**
     * A compose service's labels come from its running containers, or from its compose file while none
     * runs ({@code observed} is 0); labels that cannot be read leave the policy as written, with a warning.
     */
    public LabelOverrides.Effective effective(Target target, String tickId, OptionalInt observed) {
        Map<String, String> labels = Map.of();
        if (target.isSwarm()) {
            try {
                labels = swarm.scalerLabels(target.swarm());
            } catch (ObservationException e) {
                LOG.warn("tick={} target={} labels not read, the policy applies as written: {}", tickId, target.name(),
                        e.getMessage());
            }
        } else if (!target.isFleet()) {
            try {
                labels = observed.isPresent() && observed.getAsInt() == 0 ? ComposeFileLabels.read(target.compose())
                        : compose.scalerLabels(target.compose().projectName(), target.compose().service());
            } catch (ObservationException | IOException | RuntimeException e) {
                LOG.warn("tick={} target={} labels not read, the policy applies as written: {}", tickId, target.name(),
                        e.getMessage());
            }
        }
        LabelOverrides.Effective effective = LabelOverrides.apply(target.policy(), labels);
        if (!effective.problems().isEmpty()) {
            LOG.warn("tick={} target={} label problems: {}", tickId, target.name(), effective.problems());
        }
        return effective;
    }
}
