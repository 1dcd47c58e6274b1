package dev.scaler.observation;

import java.time.Instant;
import java.util.Map;

/**
 * Every running compose service on the engine, from one listing: what a loop tick answers all its compose
 * targets from, instead of one Docker request per target.
 */
public record ComposeSnapshot(Instant takenAt, Map<Service, ServiceReplicas> services) {

    /** A compose project's service, by the labels compose puts on its containers. */
    public record Service(String project, String service) {
    }

    public ComposeSnapshot {
        services = Map.copyOf(services);
    }

    /** The service's replicas; none when no container of it runs. */
    public ServiceReplicas of(String project, String service) {
        return services.getOrDefault(new Service(project, service), ServiceReplicas.NONE);
    }
}
