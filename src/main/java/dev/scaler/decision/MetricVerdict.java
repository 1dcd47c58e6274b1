package dev.scaler.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * What a target's metrics say together. With several metrics the largest recommendation wins (as
 * Kubernetes' HPA does with several metrics), so every metric must agree before the target scales in.
 * A failing metric recommends nothing: it cannot stop a healthy metric from scaling up, but scaling
 * down on part of the picture is unsafe, so any failure (or Prometheus warning) blocks scale-down. The
 * combined reading is then DEGRADED, which is exactly the decider's "may scale up, never down".
 *
 * @param shorthand      true for the single {@code query} metric: the decider's classic path, unchanged
 * @param reading        the winning metric's value (HEALTHY, or DEGRADED when something failed or warned);
 *                       when every metric failed, the first failure
 * @param recommendation the largest recommendation; null when every metric failed
 * @param results        every metric's result, in configuration order
 * @param summary        each metric's value and recommendation and which one won, for the reason
 * @param inputs         what the results were judged from, so {@link #at} can judge them from another
 *                       count; empty when the verdict was combined from results alone
 */
public record MetricVerdict(boolean shorthand, MetricReading reading, Integer recommendation,
                            List<RuleResult> results, String summary, List<MetricInput> inputs) {

    public MetricVerdict {
        Objects.requireNonNull(reading, "reading");
        results = List.copyOf(results);
        Objects.requireNonNull(summary, "summary");
        inputs = List.copyOf(inputs);
    }

    /** Judges every rule's answer from {@code current} running replicas, then combines them. */
    public static MetricVerdict judge(List<MetricInput> inputs, int current, Policy policy) {
        MetricVerdict v = combine(inputs.stream().map(i -> i.judge(current, policy)).toList());
        return new MetricVerdict(v.shorthand, v.reading, v.recommendation, v.results, v.summary, inputs);
    }

    /**
     * The same answers judged from {@code current} replicas instead: a band's step and a tolerance band
     * are relative to the count they start from (the decider restores a decided count this way).
     */
    public MetricVerdict at(int current, Policy policy) {
        return inputs.isEmpty() ? this : judge(inputs, current, policy);
    }

    /** The {@code query} shorthand: one instant reading, decided exactly as before several metrics existed. */
    public static MetricVerdict single(MetricReading reading) {
        return new MetricVerdict(true, reading, null, List.of(), "", List.of());
    }

    /** Combines the rules' results: the largest recommendation wins; failures block scale-down. */
    public static MetricVerdict combine(List<RuleResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("a target has at least one metric");
        }
        RuleResult winner = null;
        List<String> blocking = new ArrayList<>();
        StringJoiner each = new StringJoiner("; ", "metrics: ", "");
        for (RuleResult r : results) {
            each.add(r.name() + " " + r.explanation());
            if (r.failed()) {
                blocking.add(r.name() + " " + r.reading().state()
                        + (r.reading().detail().isEmpty() ? "" : " (" + r.reading().detail() + ")"));
            } else {
                if (r.reading().state() == MetricState.DEGRADED) {
                    blocking.add(r.name() + " DEGRADED (" + r.reading().detail() + ")");
                }
                if (winner == null || r.recommendation() > winner.recommendation()) {
                    winner = r;
                }
            }
        }
        if (winner == null) {
            RuleResult first = results.get(0);
            MetricReading failed = MetricReading.failed(first.reading().state(), "every metric failed: "
                    + String.join("; ", blocking));
            return new MetricVerdict(false, failed, null, results, each.toString(), List.of());
        }
        String summary = each + "; largest: " + winner.name() + " -> " + winner.recommendation();
        MetricReading w = winner.reading();
        MetricReading reading = blocking.isEmpty()
                ? MetricReading.healthy(w.value(), w.sampledAt())
                : MetricReading.degraded(w.value(), w.sampledAt(), "a metric failed or warned: "
                        + String.join("; ", blocking));
        return new MetricVerdict(false, reading, winner.recommendation(), results, summary, List.of());
    }
}
