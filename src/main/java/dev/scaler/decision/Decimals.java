package dev.scaler.decision;

import java.util.Locale;

/**
 * {@code String.format(Locale.ROOT, "%.Nf", v)}'s text without its cost, for text written once per decision
 * (the reasons' numbers) or per line of a backtest's output. On Java 17 every such format call builds the
 * locale's symbols anew: in a cold backtest of 125,310 steps that was a quarter of the time. The fast path
 * rounds {@code v * 10^N} half up, as the formatter rounds the shortest decimal that reads back as {@code v};
 * where the two could differ (a fraction within rounding error of one half, a huge or a negative value) the
 * formatter writes it, so the text never differs ({@code DecimalsTest} compares both).
 */
public final class Decimals {

    private static final long[] POWERS = {1, 10, 100, 1_000, 10_000};
    /** Below this, {@code v * 10^N} is within 0.001 of the exact product of the decimal {@code v} stands for. */
    private static final double FAST_LIMIT = 1e12;

    private Decimals() {
    }

    /** {@code String.format(Locale.ROOT, "%.<decimals>f", v)} for 0 to 4 decimals. */
    public static String fixed(double v, int decimals) {
        StringBuilder out = new StringBuilder(24);
        appendFixed(out, v, decimals);
        return out.toString();
    }

    /** Appends {@code String.format(Locale.ROOT, "%.<decimals>f", v)} for 0 to 4 decimals. */
    public static void appendFixed(StringBuilder out, double v, int decimals) {
        long scaled = scaled(v, decimals);
        if (scaled < 0) {
            out.append(String.format(Locale.ROOT, "%." + decimals + "f", v));
            return;
        }
        out.append(scaled / POWERS[decimals]);
        if (decimals > 0) {
            out.append('.');
            appendPadded(out, scaled % POWERS[decimals], decimals);
        }
    }

    /**
     * {@code v * 10^decimals} rounded half up, or -1 when the fast path cannot be sure of the formatter's
     * rounding: only a fraction near one half could round the other way.
     */
    public static long scaled(double v, int decimals) {
        double product = v * POWERS[decimals];
        if (!(v >= 0) || !(product < FAST_LIMIT) || Double.doubleToRawLongBits(v) < 0) { // -0.0 keeps its sign
            return -1;
        }
        double fraction = product - Math.floor(product);
        if (Math.abs(fraction - 0.5) < 0.01) {
            return -1;
        }
        return Math.round(product);
    }

    /** Appends {@code value} with leading zeros to {@code digits} digits (1 to 4). */
    public static void appendPadded(StringBuilder out, long value, int digits) {
        for (long p = POWERS[digits - 1]; p > 1 && value < p; p /= 10) {
            out.append('0');
        }
        out.append(value);
    }
}
