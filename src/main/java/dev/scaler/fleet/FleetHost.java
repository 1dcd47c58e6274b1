package dev.scaler.fleet;

import java.util.Objects;

/**
 * One host of a fleet target as the inventory describes it.
 *
 * @param name        inventory host name
 * @param weight      relative capacity ({@code scaler_weight}, default 1): a host of weight 2 takes twice the replicas
 * @param maxReplicas most replicas this host may run ({@code scaler_max_replicas}); null for no cap
 */
public record FleetHost(String name, double weight, Integer maxReplicas) {

    public FleetHost {
        Objects.requireNonNull(name, "name");
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("host " + name + ": scaler_weight must be a positive number, got " + weight);
        }
        if (maxReplicas != null && maxReplicas < 0) {
            throw new IllegalArgumentException("host " + name + ": scaler_max_replicas must be >= 0, got " + maxReplicas);
        }
    }

    int cap() {
        return maxReplicas == null ? Integer.MAX_VALUE : maxReplicas;
    }
}
