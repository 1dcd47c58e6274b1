package dev.scaler.swarm;

import dev.scaler.decision.Decider;
import dev.scaler.execution.PlaybookResult;
import dev.scaler.observation.ObservationException;
import dev.scaler.target.Observation;
import dev.scaler.target.ScaleOutcome;
import dev.scaler.target.Target;
import dev.scaler.target.TargetDriver;
import dev.scaler.target.Tick;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

/** What the control loop does with a swarm target: observe it through docker-java, scale it through Ansible. */
@Singleton
public class SwarmDriver implements TargetDriver {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmDriver.class);

    private final SwarmObserver observer;
    private final SwarmScaleExecutor executor;
    private final Clock clock;

    public SwarmDriver(SwarmObserver observer, SwarmScaleExecutor executor, Clock clock) {
        this.observer = observer;
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * Running tasks, not the service's setting: swarm may still be replacing some (the note says so). The labels
     * come with the same inspection.
     */
    @Override
    public Observation observe(Target target, Tick tick) {
        SwarmObservation seen;
        try {
            seen = observer.observe(target.swarm());
        } catch (ObservationException e) {
            LOG.warn("tick={} target={} observation failed: {}", tick.id(), target.name(), e.getMessage());
            return Observation.failed(e.getMessage(), "; swarm: " + e.getMessage(), Decider.EXITED_OR_REMOVED);
        }
        Map<String, String> scaler = new TreeMap<>();
        seen.labels().forEach((key, value) -> {
            if (key.startsWith(SwarmObserver.SCALER_LABEL_PREFIX)) {
                scaler.put(key, value);
            }
        });
        return Observation.counted(seen.running(), scaler, note(seen), Decider.EXITED_OR_REMOVED);
    }

    @Override
    public ScaleOutcome scale(Target target, Observation seen, int replicas, boolean dryRun, Tick tick) {
        int from = seen.running().orElseThrow(() -> new IllegalArgumentException("target " + target.name()
                + " was not counted, so it cannot be scaled: " + seen.failure()));
        PlaybookResult result = dryRun ? PlaybookResult.dryRun(clock.instant())
                : executor.scale(target.name(), target.swarm(), replicas);
        return ScaleOutcome.of(from, replicas, result);
    }

    public SwarmObservation observe(SwarmService service) throws ObservationException {
        return observer.observe(service);
    }

    /** The service's {@code scaler.*} labels, which override the target's policy. */
    public Map<String, String> scalerLabels(SwarmService service) throws ObservationException {
        return observer.scalerLabels(service);
    }

    public PlaybookResult scale(String target, SwarmService service, int replicas) {
        return executor.scale(target, service, replicas);
    }

    /**
     * What the decision record says besides the decision, or "": fewer tasks running than the service is
     * set to means swarm is replacing some, which explains a count below the last action's.
     */
    public static String note(SwarmObservation seen) {
        return seen.converging() ? "; swarm: " + seen.running() + " of " + seen.desired()
                + " tasks running (swarm is starting the rest)" : "";
    }
}
