package dev.scaler.decision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One classified answer to a range query: the samples of the query's one series, oldest first, or the
 * reason there are none. NaN samples are kept (they are a fact about the window, not a gap).
 *
 * @param state   HEALTHY or DEGRADED (Prometheus warned) with samples; any other state means no usable series
 * @param samples the series, oldest first; empty unless the state has a value
 * @param detail  warnings, or what went wrong
 */
public record RangeReading(MetricState state, List<Sample> samples, String detail) {

    public record Sample(Instant at, double value) {
        public Sample {
            Objects.requireNonNull(at, "at");
        }
    }

    public RangeReading {
        Objects.requireNonNull(state, "state");
        samples = List.copyOf(samples);
        detail = detail == null ? "" : detail;
        if (!state.hasValue() && !samples.isEmpty()) {
            throw new IllegalArgumentException("a " + state + " range reading has no samples");
        }
        if (state.hasValue() && samples.isEmpty()) {
            throw new IllegalArgumentException("a " + state + " range reading needs samples; no series is EMPTY");
        }
    }

    public static RangeReading of(List<Sample> samples, String warnings) {
        if (samples.isEmpty()) {
            return failed(MetricState.EMPTY, "the query matched no series in the window");
        }
        return new RangeReading(warnings == null || warnings.isEmpty() ? MetricState.HEALTHY : MetricState.DEGRADED,
                samples, warnings);
    }

    public static RangeReading failed(MetricState state, String detail) {
        if (state.hasValue()) {
            throw new IllegalArgumentException(state + " is not a failure state");
        }
        return new RangeReading(state, List.of(), detail);
    }
}
