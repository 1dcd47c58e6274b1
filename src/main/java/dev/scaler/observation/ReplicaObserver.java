package dev.scaler.observation;

/** Reads how many replicas of a compose service are running right now. */
public interface ReplicaObserver {

    /** Running, non one-off containers of {@code service} in compose project {@code composeProject}. */
    int runningReplicas(String composeProject, String service) throws ObservationException;
}
