package dev.scaler.decision;

import java.time.Instant;
import java.util.Objects;

/**
 * One classified answer to a metric query.
 *
 * @param state     what kind of answer it was
 * @param value     the sample; only meaningful when {@code state.hasValue()}, otherwise NaN
 * @param sampledAt when the sample was taken, or null when there is none
 * @param detail    a human-readable explanation (error type and message, warnings, series count)
 */
public record MetricReading(MetricState state, double value, Instant sampledAt, String detail) {

    public MetricReading {
        Objects.requireNonNull(state, "state");
        detail = detail == null ? "" : detail;
        if (state.hasValue() && !Double.isFinite(value)) {
            throw new IllegalArgumentException("a " + state + " reading needs a finite value, got " + value);
        }
        if (state.hasValue() && value < 0) {
            throw new IllegalArgumentException("a load cannot be negative, got " + value);
        }
    }

    public static MetricReading healthy(double value, Instant sampledAt) {
        return new MetricReading(MetricState.HEALTHY, value, sampledAt, "");
    }

    public static MetricReading degraded(double value, Instant sampledAt, String warnings) {
        return new MetricReading(MetricState.DEGRADED, value, sampledAt, warnings);
    }

    public static MetricReading failed(MetricState state, String detail) {
        if (state.hasValue()) {
            throw new IllegalArgumentException(state + " is not a failure state");
        }
        return new MetricReading(state, Double.NaN, null, detail);
    }
}
