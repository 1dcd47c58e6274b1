package dev.scaler.metrics;

import dev.scaler.decision.MetricInput;
import dev.scaler.decision.MetricRule;
import dev.scaler.decision.MetricVerdict;
import dev.scaler.decision.Policy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Reads every metric rule of a target (an instant query for tracking, a range query over the longer band
 * window for bands) and hands the readings to the pure {@link MetricJudge} and {@link MetricVerdict}. The
 * {@code query} shorthand alone is read exactly as before: one instant query, decided on the classic path.
 */
public final class MetricRuleReader {

    private final MetricSource source;
    private final Clock clock;

    public MetricRuleReader(MetricSource source, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param observed the running replicas the recommendations start from; when unknown the decider holds
     *                 whatever the metrics say, so 0 stands in
     */
    public MetricVerdict read(List<MetricRule> rules, OptionalInt observed, Policy policy) {
        if (rules.size() == 1 && rules.get(0) instanceof MetricRule.Tracking t && t.inheritsPolicy()) {
            return MetricVerdict.single(source.read(t.query()));
        }
        List<MetricInput> inputs = new ArrayList<>();
        for (MetricRule rule : rules) {
            if (rule instanceof MetricRule.Tracking t) {
                inputs.add(new MetricInput.Instant(t, source.read(t.query())));
            } else if (rule instanceof MetricRule.Bands b) {
                // "now" is taken per rule, after any earlier query, so each window ends at its own query's now
                Instant now = clock.instant();
                inputs.add(new MetricInput.Range(b, source.readRange(b.query(), now.minus(b.window()), now,
                        b.resolution()), now));
            }
        }
        return MetricVerdict.judge(inputs, observed.orElse(0), policy);
    }
}
