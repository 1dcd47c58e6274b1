package dev.scaler.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads a fleet's total over its reachable hosts by weight and per-host caps. Pure and deterministic.
 *
 * <p>Fewest moves: the split starts from what runs and adds (or removes) one replica at a time, each time
 * on the reachable host furthest below (or above) its weighted share, ties broken by host name. A
 * scale-up therefore only adds and a scale-down only removes, so only hosts whose count really changes
 * are touched and a running replica is never moved for the sake of balance. Unreachable hosts are left
 * out: with {@code moveShareOfUnreachable} their replicas are not counted and the reachable hosts carry
 * the whole total; without it, their last known count stays counted where it is.
 */
public final class FleetSplit {

    private FleetSplit() {
    }

    /**
     * @param total      the decided total
     * @param hosts      every host of the group, in inventory order
     * @param lastKnown  last count seen on each host, for unreachable hosts when their share is not moved
     */
    public static FleetPlan split(int total, List<HostCount> hosts, boolean moveShareOfUnreachable,
                                  Map<String, Integer> lastKnown) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0, got " + total);
        }
        List<Slot> slots = new ArrayList<>();
        int heldElsewhere = 0;
        List<String> notes = new ArrayList<>();
        for (HostCount h : hosts) {
            if (h.reachable()) {
                slots.add(new Slot(h.host(), h.running()));
            } else if (!moveShareOfUnreachable) {
                heldElsewhere += lastKnown.getOrDefault(h.host().name(), 0);
                notes.add(h.host().name() + " " + h.problem() + ", its " + lastKnown.getOrDefault(h.host().name(), 0)
                        + " counted where they were");
            } else {
                notes.add(h.host().name() + " " + h.problem() + ", its share moved");
            }
        }
        // A host above its cap gives back the excess first: the cap is a hard limit.
        for (Slot s : slots) {
            if (s.count > s.host.cap()) {
                notes.add(s.host.name() + " above its cap " + s.host.cap());
                s.count = s.host.cap();
            }
        }
        int want = Math.max(0, total - heldElsewhere);
        int sum = slots.stream().mapToInt(s -> s.count).sum();
        Comparator<Slot> byName = Comparator.comparing(s -> s.host.name());
        while (sum < want) {
            Slot next = slots.stream().filter(s -> s.count < s.host.cap())
                    .min(Comparator.<Slot>comparingDouble(s -> (s.count + 1) / s.host.weight()).thenComparing(byName))
                    .orElse(null);
            if (next == null) {
                break;
            }
            next.count++;
            sum++;
        }
        while (sum > want) {
            Slot next = slots.stream().filter(s -> s.count > 0)
                    .max(Comparator.<Slot>comparingDouble(s -> s.count / s.host.weight()).thenComparing(byName))
                    .orElseThrow();
            next.count--;
            sum--;
        }
        Map<String, Integer> perHost = new LinkedHashMap<>();
        List<FleetPlan.Change> changes = new ArrayList<>();
        for (Slot s : slots) {
            perHost.put(s.host.name(), s.count);
            if (s.count != s.original) {
                changes.add(new FleetPlan.Change(s.host.name(), s.original, s.count));
            }
        }
        int placed = sum + heldElsewhere;
        StringBuilder reason = new StringBuilder("total ").append(total).append(" over ").append(slots.size())
                .append(" reachable of ").append(hosts.size()).append(" hosts: ").append(perHost);
        if (placed < total) {
            reason.append("; short by ").append(total - placed).append(slots.isEmpty() ? ": no host is reachable"
                    : ": the reachable hosts' caps are full");
        }
        if (!notes.isEmpty()) {
            reason.append("; ").append(String.join(", ", notes));
        }
        return new FleetPlan(total, placed, perHost, changes, reason.toString());
    }

    private static final class Slot {
        final FleetHost host;
        final int original;
        int count;

        Slot(FleetHost host, int count) {
            this.host = host;
            this.original = count;
            this.count = count;
        }
    }
}
