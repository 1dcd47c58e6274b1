package dev.scaler.metrics;

import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricState;
import dev.scaler.decision.RangeReading;

import java.time.Duration;
import java.time.Instant;

/** Where the load comes from. */
public interface MetricSource {

    /**
     * Evaluates one query now. Never throws for a problem on the metrics side: an unreachable server,
     * an error answer or an unusable result are all returned as a {@link MetricReading} whose state says which.
     */
    MetricReading read(String promql);

    /**
     * The query's one series over [from, to] at {@code step} (threshold bands judge on this). Never throws for a
     * problem on the metrics side. A source that has no history answers ERROR.
     */
    default RangeReading readRange(String promql, Instant from, Instant to, Duration step) {
        return RangeReading.failed(MetricState.ERROR, "this metric source cannot read a range");
    }
}
