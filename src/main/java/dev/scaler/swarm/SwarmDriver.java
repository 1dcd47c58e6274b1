package dev.scaler.swarm;

import dev.scaler.execution.PlaybookResult;
import dev.scaler.observation.ObservationException;
import jakarta.inject.Singleton;

import java.util.Map;

/** What the control loop does with a swarm target: observe it through docker-java, scale it through Ansible. */
@Singleton
public class SwarmDriver {

    private final SwarmObserver observer;
    private final SwarmScaleExecutor executor;

    public SwarmDriver(SwarmObserver observer, SwarmScaleExecutor executor) {
        this.observer = observer;
        this.executor = executor;
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
