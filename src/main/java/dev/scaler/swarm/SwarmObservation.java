package dev.scaler.swarm;

import java.util.Map;

/**
 * What a swarm service looks like right now.
 *
 * @param running  its tasks that run and are meant to (task state and desired state both RUNNING):
 *                 what serves load, and what the decision starts from
 * @param desired  the replica count the service is set to; swarm replaces failed tasks until
 *                 {@code running} reaches it
 * @param labels   the service's own labels ({@code docker service create --label}), never null
 */
public record SwarmObservation(String service, int running, int desired, Map<String, String> labels) {

    public SwarmObservation {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Fewer tasks run than the service is set to: swarm is (re)starting the rest. */
    public boolean converging() {
        return running < desired;
    }
}
