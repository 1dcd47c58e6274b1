package dev.scaler.decision;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One metric a target is scaled on, and how its value becomes a replica recommendation. A target has
 * one or more; the largest recommendation wins ({@link MetricVerdict}). Messages start with the
 * configuration field they are about, so a parser can prefix {@code metrics[i].}.
 */
public sealed interface MetricRule permits MetricRule.Tracking, MetricRule.Bands {

    /** Names the metric in reasons and history; unique within a target. */
    String name();

    /** PromQL returning one series. */
    String query();

    /** The name the {@code query} shorthand gets. */
    String SHORTHAND_NAME = "query";

    /** The {@code query} key: one tracking metric that takes capacity and tolerance from the target. */
    static Tracking shorthand(String query) {
        return new Tracking(SHORTHAND_NAME, query, null, null);
    }

    /**
     * Target tracking, as the target's own policy does it: ceil(value / capacity per replica), kept
     * when the value is within tolerance of what the running replicas carry. Judged on one instant value.
     *
     * @param capacityPerReplica value one replica should carry; null = the target's capacity-per-replica
     * @param tolerance          relative band around 1.0 usage; null = the target's tolerance
     */
    record Tracking(String name, String query, Double capacityPerReplica, Double tolerance) implements MetricRule {
        public Tracking {
            requireText("name", name);
            requireText("query", query);
            if (capacityPerReplica != null && (!(capacityPerReplica > 0) || capacityPerReplica.isInfinite())) {
                throw new IllegalArgumentException("capacity-per-replica: must be a positive number, got "
                        + capacityPerReplica);
            }
            if (tolerance != null && !(tolerance >= 0 && tolerance < 1)) {
                throw new IllegalArgumentException("tolerance: must be in [0, 1), got " + tolerance);
            }
        }

        /** True for the rule the {@code query} key stands for: the decider's classic single-metric path. */
        public boolean inheritsPolicy() {
            return capacityPerReplica == null && tolerance == null;
        }

        public double capacity(Policy policy) {
            return capacityPerReplica == null ? policy.capacityPerReplica() : capacityPerReplica;
        }

        public double tolerance(Policy policy) {
            return tolerance == null ? policy.tolerance() : tolerance;
        }
    }

    /**
     * Threshold bands, judged on Prometheus range data: scale out by {@code stepOut} when every sample of
     * the last {@code outDuration} is above {@code outThreshold}, scale in by {@code stepIn} when every
     * sample of the last {@code inDuration} is below {@code inThreshold}, otherwise hold.
     *
     * @param resolution the query_range step; samples further apart than two of these are a gap
     */
    record Bands(String name, String query, double outThreshold, Duration outDuration, double inThreshold,
                 Duration inDuration, Step stepOut, Step stepIn, Duration resolution) implements MetricRule {

        public static final Duration DEFAULT_RESOLUTION = Duration.ofSeconds(15);

        public Bands {
            requireText("name", name);
            requireText("query", query);
            if (!Double.isFinite(outThreshold) || outThreshold < 0) {
                throw new IllegalArgumentException("out-threshold: must be a number >= 0, got " + outThreshold);
            }
            if (!Double.isFinite(inThreshold) || inThreshold < 0) {
                throw new IllegalArgumentException("in-threshold: must be a number >= 0, got " + inThreshold);
            }
            if (!(inThreshold < outThreshold)) {
                throw new IllegalArgumentException("in-threshold: must be below out-threshold (" + number(outThreshold)
                        + "), got " + number(inThreshold));
            }
            Objects.requireNonNull(stepOut, "step-out");
            Objects.requireNonNull(stepIn, "step-in");
            Objects.requireNonNull(resolution, "resolution");
            if (resolution.toMillis() < 1) {
                throw new IllegalArgumentException("resolution: must be at least 1ms, got " + resolution);
            }
            requireWindow("out-duration", outDuration, resolution);
            requireWindow("in-duration", inDuration, resolution);
        }

        /** How far back the range query reaches: the longer of the two windows. */
        public Duration window() {
            return outDuration.compareTo(inDuration) >= 0 ? outDuration : inDuration;
        }

        private static void requireWindow(String field, Duration d, Duration resolution) {
            if (d == null || d.compareTo(resolution) < 0) {
                throw new IllegalArgumentException(field + ": must be at least the resolution (" + seconds(resolution)
                        + "), got " + (d == null ? "nothing" : seconds(d)));
            }
        }
    }

    /**
     * How many replicas one band step adds or removes: a fixed number, or a percentage of the running
     * replicas rounded up (so a step is never zero while anything runs).
     */
    record Step(int replicas, int percent) {
        public Step {
            if (replicas < 0 || percent < 0 || (replicas > 0) == (percent > 0)) {
                throw new IllegalArgumentException("a step is a positive number of replicas or a positive percent, got "
                        + replicas + " replicas / " + percent + "%");
            }
        }

        public static Step replicas(int n) {
            return new Step(n, 0);
        }

        public static Step percent(int p) {
            return new Step(0, p);
        }

        public int amount(int current) {
            if (replicas > 0) {
                return replicas;
            }
            return (int) Math.max(1, Math.ceil(current * (percent / 100.0)));
        }

        @Override
        public String toString() {
            return replicas > 0 ? Integer.toString(replicas) : percent + "%";
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": is required");
        }
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    static String seconds(Duration d) {
        return Decider.seconds(d);
    }
}
