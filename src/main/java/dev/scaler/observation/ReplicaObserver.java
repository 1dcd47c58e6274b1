package dev.scaler.observation;

import java.util.Map;

/** Reads how many replicas of a compose service are running right now. */
public interface ReplicaObserver {

    /** Running, non one-off containers of {@code service} in compose project {@code composeProject}. */
    int runningReplicas(String composeProject, String service) throws ObservationException;

    /**
     * The {@code scaler.*} labels of the service's containers (compose copies a service's {@code labels:}
     * onto each), read from the newest running one; empty when none runs or labels are not observed.
     */
    default Map<String, String> scalerLabels(String composeProject, String service) throws ObservationException {
        return Map.of();
    }
}
