package dev.scaler.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Samples on a regular grid: {@code values[i]} is the load at {@code start + i * step}. NaN is no sample
 * (a gap), never zero load. The array is the caller's: a forecaster only reads it.
 */
public record Series(Instant start, Duration step, double[] values) {

    public Series {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(values, "values");
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("a series step must be positive, got " + step);
        }
    }

    public int size() {
        return values.length;
    }

    public Instant at(int i) {
        return start.plus(step.multipliedBy(i));
    }

    /** Just past the last sample. */
    public Instant end() {
        return at(values.length);
    }

    /** Mean of the values of {@code fine} in each {@code step}-long bin from {@code start}; NaN for a bin with none. */
    public static Series averaged(Series fine, Duration step) {
        long fineMillis = fine.step.toMillis();
        long coarseMillis = step.toMillis();
        if (coarseMillis < fineMillis || coarseMillis % fineMillis != 0) {
            throw new IllegalArgumentException("a coarse step must be a multiple of the fine step " + fine.step
                    + ", got " + step);
        }
        int per = (int) (coarseMillis / fineMillis);
        double[] out = new double[fine.size() / per];
        for (int b = 0; b < out.length; b++) {
            double sum = 0;
            int n = 0;
            for (int j = b * per; j < (b + 1) * per; j++) {
                double v = fine.values[j];
                if (!Double.isNaN(v)) {
                    sum += v;
                    n++;
                }
            }
            out[b] = n == 0 ? Double.NaN : sum / n;
        }
        return new Series(fine.start, step, out);
    }

    /** The samples at or after {@code from} and before {@code to}, clipped to this series. */
    public Series between(Instant from, Instant to) {
        long stepMillis = step.toMillis();
        long first = Math.max(0, ceilDiv(Duration.between(start, from).toMillis(), stepMillis));
        long last = Math.min(values.length, ceilDiv(Duration.between(start, to).toMillis(), stepMillis));
        if (last <= first) {
            return new Series(at((int) Math.min(first, values.length)), step, new double[0]);
        }
        return new Series(at((int) first), step, Arrays.copyOfRange(values, (int) first, (int) last));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && start.equals(s.start) && step.equals(s.step) && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, step, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "Series[" + start + ", step " + step + ", " + values.length + " samples]";
    }
}
