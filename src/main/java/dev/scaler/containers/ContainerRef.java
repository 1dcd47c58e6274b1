package dev.scaler.containers;

/**
 * A running container of a target, with the labels its series carry.
 *
 * @param id        the engine's id
 * @param target    the target it belongs to
 * @param project   the compose project; empty for a swarm task
 * @param service   the compose or swarm service
 * @param container the container's name, without the leading slash
 * @param host      the fleet host it runs on, as the inventory names it; {@value #LOCAL} for the engine Scaler
 *                  talks to. Every series has it, since Prometheus wants one set of label names per metric name.
 */
public record ContainerRef(String id, String target, String project, String service, String container, String host) {

    public static final String LOCAL = "local";

    /** A container on the engine Scaler talks to. */
    public ContainerRef(String id, String target, String project, String service, String container) {
        this(id, target, project, service, container, LOCAL);
    }
}
