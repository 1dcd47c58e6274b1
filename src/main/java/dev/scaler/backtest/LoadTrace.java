package dev.scaler.backtest;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A recorded load on a regular grid: {@code values[i]} is the load from {@code start + i * step}.
 * NaN means no sample for that step (a gap in a scrape), which the replay reads as "no data", never as
 * zero load. Loads are requests per second for the WorldCup98 and NASA traces.
 *
 * @param source where it came from, for messages and reports
 * @param values copied in; {@link #values()} returns the array itself (a trace can be five million
 *               values), which callers must not change
 */
public record LoadTrace(String source, Instant start, Duration step, double[] values) {

    public LoadTrace {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(step, "step");
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("a trace step must be positive, got " + step);
        }
        values = values.clone();
    }

    public int size() {
        return values.length;
    }

    /** The load of step {@code i}; NaN when there is no sample. */
    public double value(int i) {
        return values[i];
    }

    public Instant end() {
        return start.plus(step.multipliedBy(values.length));
    }

    /** The steps that start in {@code [from, to)}; either bound may be null for "from the start" / "to the end". */
    public LoadTrace window(Instant from, Instant to) {
        long stepMillis = step.toMillis();
        int first = from == null ? 0 : (int) clamp(ceilDiv(Duration.between(start, from).toMillis(), stepMillis));
        int last = to == null ? values.length : (int) clamp(ceilDiv(Duration.between(start, to).toMillis(), stepMillis));
        if (last <= first) {
            throw new BacktestInputException("the window " + (from == null ? start : from) + " .. "
                    + (to == null ? end() : to) + " holds no step of " + source + ", which covers " + start
                    + " .. " + end());
        }
        return new LoadTrace(source, start.plus(step.multipliedBy(first)), step, Arrays.copyOfRange(values, first, last));
    }

    private long clamp(long index) {
        return Math.max(0, Math.min(values.length, index));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadTrace t && source.equals(t.source) && start.equals(t.start) && step.equals(t.step)
                && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, start, step, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "LoadTrace[" + source + ", " + start + ", step " + step + ", " + values.length + " steps]";
    }
}
