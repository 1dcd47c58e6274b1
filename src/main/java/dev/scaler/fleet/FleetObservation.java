package dev.scaler.fleet;

import java.util.List;
import java.util.Map;

/**
 * Every host of a fleet as last asked.
 *
 * @param hosts     each host with its count, or why it could not be asked
 * @param lastKnown the last count seen on each host, including on earlier ticks
 */
public record FleetObservation(List<HostCount> hosts, Map<String, Integer> lastKnown) {

    public FleetObservation {
        hosts = List.copyOf(hosts);
        lastKnown = Map.copyOf(lastKnown);
    }

    /** The running total the decision starts from. */
    public int observedTotal(boolean moveShareOfUnreachable) {
        int total = 0;
        for (HostCount h : hosts) {
            if (h.reachable()) {
                total += h.running();
            } else if (!moveShareOfUnreachable) {
                total += lastKnown.getOrDefault(h.host().name(), 0);
            }
        }
        return total;
    }
}
