package dev.scaler.chart;

import java.util.Arrays;

/**
 * Samples at irregular times cut into equal time buckets over a window, each bucket keeping its maximum, so a
 * spike of one tick in a 7-day window still shows. A bucket with no sample is {@code NaN} (no data: the line
 * breaks), not zero.
 */
public final class Buckets {

    private final long startMillis;
    private final long spanMillis;
    private final double[] max;

    public Buckets(long startMillis, long spanMillis, int columns) {
        if (columns < 1 || spanMillis < 1) {
            throw new IllegalArgumentException("columns and span must be positive, got " + columns + " and " + spanMillis);
        }
        this.startMillis = startMillis;
        this.spanMillis = spanMillis;
        this.max = new double[columns];
        Arrays.fill(max, Double.NaN);
    }

    /** The column of an instant; -1 outside the window. */
    public int column(long atMillis) {
        if (atMillis < startMillis || atMillis > startMillis + spanMillis) {
            return -1;
        }
        return (int) Math.min(max.length - 1, (atMillis - startMillis) * max.length / spanMillis);
    }

    /** Adds a sample; {@code NaN} and samples outside the window are ignored. */
    public void add(long atMillis, double value) {
        int c = column(atMillis);
        if (c < 0 || Double.isNaN(value)) {
            return;
        }
        max[c] = Double.isNaN(max[c]) ? value : Math.max(max[c], value);
    }

    public double[] values() {
        return max.clone();
    }
}
