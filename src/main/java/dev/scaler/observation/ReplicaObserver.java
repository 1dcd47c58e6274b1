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

    /** The count and the labels of one service, from one request. */
    default ServiceReplicas replicas(String composeProject, String service) throws ObservationException {
        return new ServiceReplicas(runningReplicas(composeProject, service), scalerLabels(composeProject, service));
    }

    /**
     * Every running compose service on the engine, from one listing. The default asks per service, so it has
     * nothing to list; real observers override it.
     */
    default ComposeSnapshot snapshot() throws ObservationException {
        throw new UnsupportedOperationException("this observer cannot list every compose service at once");
    }

    /** Whether {@link #snapshot} answers; observers that cannot list every service are asked per service. */
    default boolean lists() {
        return false;
    }
}
