package dev.scaler.metrics;

import dev.scaler.decision.MetricReading;

/** STUB until the metrics branch merges. */
public interface MetricSource {
    MetricReading read(String promql);
}
