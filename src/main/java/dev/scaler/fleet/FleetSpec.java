package dev.scaler.fleet;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A target spread over the hosts of an inventory group.
 *
 * @param group                  inventory group whose hosts run the service
 * @param inventory              the inventory holding the group (with its SSH settings and known hosts)
 * @param moveShareOfUnreachable on the next tick, let the reachable hosts carry what an unreachable host ran
 */
public record FleetSpec(String group, Path inventory, boolean moveShareOfUnreachable) {

    /** What this fleet's target owns: the group of the inventory (the hosts' project and service are in it). */
    public dev.scaler.execution.ServiceKey key() {
        return new dev.scaler.execution.ServiceKey("fleet", inventory.toAbsolutePath().normalize().toString(), group);
    }

    public FleetSpec {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(inventory, "inventory");
    }
}
