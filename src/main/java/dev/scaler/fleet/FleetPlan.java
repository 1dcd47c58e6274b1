package dev.scaler.fleet;

import java.util.List;
import java.util.Map;

/**
 * How a fleet's total is spread over its hosts.
 *
 * @param wanted    the total asked for
 * @param placed    the total the plan reaches (less than {@code wanted} only when the reachable hosts' caps are full)
 * @param perHost   the count for every reachable host, by name, in host order
 * @param changes   only the hosts whose count changes: these, and only these, are touched
 * @param reason    how the plan was made, with the shortfall when there is one
 */
public record FleetPlan(int wanted, int placed, Map<String, Integer> perHost, List<Change> changes, String reason) {

    public FleetPlan {
        perHost = Map.copyOf(perHost);
        changes = List.copyOf(changes);
    }

    public int shortfall() {
        return wanted - placed;
    }

    /** One host moving from {@code from} to {@code to} replicas. */
    public record Change(String host, int from, int to) {
    }
}
