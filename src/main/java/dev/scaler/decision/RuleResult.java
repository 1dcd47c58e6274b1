package dev.scaler.decision;

import java.util.Objects;

/**
 * What one metric rule recommends this tick.
 *
 * @param name           the rule's name
 * @param reading        the value the rule was judged on (for bands, the latest sample), or the failure
 * @param recommendation replicas this rule asks for; null when the metric failed and recommends nothing
 * @param explanation    the numbers and the verdict, for the decision's reason
 */
public record RuleResult(String name, MetricReading reading, Integer recommendation, String explanation) {

    public RuleResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reading, "reading");
        Objects.requireNonNull(explanation, "explanation");
        if ((recommendation == null) == reading.state().hasValue()) {
            throw new IllegalArgumentException("a recommendation goes with a usable reading and only with one: "
                    + reading.state() + ", " + recommendation);
        }
    }

    public boolean failed() {
        return recommendation == null;
    }

    static RuleResult failure(String name, MetricReading reading) {
        return new RuleResult(name, reading, null, reading.state() + (reading.detail().isEmpty() ? ""
                : " (" + reading.detail() + ")"));
    }
}
