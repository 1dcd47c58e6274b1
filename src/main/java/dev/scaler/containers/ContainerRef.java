package dev.scaler.containers;

/**
 * A running container of a local target, with the labels its series carry.
 *
 * @param id        the engine's id
 * @param target    the target it belongs to
 * @param project   the compose project; empty for a swarm task
 * @param service   the compose or swarm service
 * @param container the container's name, without the leading slash
 */
public record ContainerRef(String id, String target, String project, String service, String container) {
}
