package dev.scaler.metrics;

import dev.scaler.decision.MetricReading;

/** Where the load comes from. */
public interface MetricSource {

    /**
     * Evaluates one query now. Never throws for a problem on the metrics side: an unreachable server,
     * an error answer or an unusable result are all returned as a {@link MetricReading} whose state says which.
     */
    MetricReading read(String promql);
}
