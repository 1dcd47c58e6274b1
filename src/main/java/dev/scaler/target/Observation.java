package dev.scaler.target;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a driver saw of a target, as the decision starts from it.
 *
 * @param running      the running replicas (for a fleet, of the hosts counted); empty when they could not be counted
 * @param scalerLabels the service's {@code scaler.*} labels, which override the policy; empty when it has none,
 *                     for a fleet, or when they could not be read
 * @param note         what the history must say besides the decision (unreachable hosts and why), or ""
 * @param uncounted    why fewer than decided may be counted (replicas exited or were removed; a fleet's
 *                     unreachable hosts are not counted)
 * @param failure      why nothing could be counted, or null when {@code running} is present
 * @param basis        what the driver that made this observation needs to act on it (a fleet's hosts), or null;
 *                     opaque to everyone else
 */
public record Observation(OptionalInt running, Map<String, String> scalerLabels, String note, String uncounted,
                          String failure, Object basis) {

    public Observation {
        Objects.requireNonNull(running, "running");
        scalerLabels = Map.copyOf(scalerLabels);
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(uncounted, "uncounted");
        if (running.isEmpty() && failure == null) {
            throw new IllegalArgumentException("an observation without a count must say why");
        }
    }

    /** A count, with the labels read beside it. */
    public static Observation counted(int running, Map<String, String> scalerLabels, String note, String uncounted) {
        return new Observation(OptionalInt.of(running), scalerLabels, note, uncounted, null, null);
    }

    /** Nothing could be counted, because of {@code failure}. */
    public static Observation failed(String failure, String note, String uncounted) {
        return new Observation(OptionalInt.empty(), Map.of(), note, uncounted, failure, null);
    }

    public Observation withBasis(Object driverState) {
        return new Observation(running, scalerLabels, note, uncounted, failure, driverState);
    }
}
