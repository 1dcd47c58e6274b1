package dev.scaler.decision;

import java.time.Instant;
import java.util.Objects;

/**
 * One rule with what Prometheus answered for it, before it is judged against a running count. Kept in
 * the verdict so the decider can judge the same answers from another count (see {@link MetricVerdict#at}).
 */
public sealed interface MetricInput permits MetricInput.Instant, MetricInput.Range {

    RuleResult judge(int current, Policy policy);

    /** A tracking rule and its instant reading. */
    record Instant(MetricRule.Tracking rule, MetricReading reading) implements MetricInput {
        public Instant {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(reading, "reading");
        }

        @Override
        public RuleResult judge(int current, Policy policy) {
            return MetricJudge.tracking(rule, reading, current, policy);
        }
    }

    /** A bands rule, its range reading and the end of the range it was read for. */
    record Range(MetricRule.Bands rule, RangeReading range, java.time.Instant now) implements MetricInput {
        public Range {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(now, "now");
        }

        @Override
        public RuleResult judge(int current, Policy policy) {
            return MetricJudge.bands(rule, range, current, now);
        }
    }
}
