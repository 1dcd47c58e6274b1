package dev.scaler.observation;

/** STUB until the ansible-exec branch merges. */
public interface ReplicaObserver {
    int runningReplicas(String composeProject, String service) throws ObservationException;
}
