package dev.scaler.backtest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Numbers and times written into the backtest's files, once per step (125,310 lines for WorldCup98) or per
 * chart column: the same text as {@code String.format}, {@code BigDecimal} and {@link Instant#toString},
 * without their cost. On Java 17 every {@code String.format} with a decimal builds the locale's symbols,
 * and {@code Instant.toString} a formatter's context: in a cold run they cost more than the replay.
 * Values the fast paths cannot be sure of (a tie within rounding error, huge or negative numbers) take the
 * slow path, so the text never differs; {@code TextTest} compares both.
 */
final class Text {

    private static final long[] POWERS = {1, 10, 100, 1_000, 10_000};
    /** Beyond this the product {@code v * 10^decimals} is no longer exact to well under 0.01. */
    private static final double FAST_LIMIT = 1e12;
    private static final long FIRST_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private Text() {
    }

    /** As {@code String.format(Locale.ROOT, "%.<decimals>f", v)}, for 0 to 4 decimals. */
    static void appendFixed(StringBuilder out, double v, int decimals) {
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
     * At most four decimals, no trailing zeros and never an exponent:
     * {@code BigDecimal.valueOf(v).setScale(4, HALF_UP).stripTrailingZeros().toPlainString()}.
     */
    static void appendPlain(StringBuilder out, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            out.append((long) v);
            return;
        }
        long scaled = scaled(v, 4);
        if (scaled < 0) {
            out.append(BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
            return;
        }
        out.append(scaled / 10_000);
        int fraction = (int) (scaled % 10_000);
        if (fraction != 0) {
            int digits = 4;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            out.append('.');
            appendPadded(out, fraction, digits);
        }
    }

    /**
     * {@code v * 10^decimals} rounded half up as its shortest decimal would be, or -1 when that is not certain
     * here: the product is within 0.001 of the decimal's, so only a fraction near one half could round the
     * other way.
     */
    private static long scaled(double v, int decimals) {
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

    private static void appendPadded(StringBuilder out, long value, int digits) {
        for (long p = POWERS[digits - 1]; p > 1 && value < p; p /= 10) {
            out.append('0');
        }
        out.append(value);
    }

    /**
     * Writes instants as {@link Instant#toString} does, the date once per day: for one trace the instants
     * come in order, so a day's text is made once and the time of day by hand.
     */
    static final class Times {
        private long day = Long.MIN_VALUE;
        private String date;

        void append(StringBuilder out, Instant at) {
            long second = at.getEpochSecond();
            int nanos = at.getNano();
            long epochDay = Math.floorDiv(second, 86_400);
            if (nanos % 1_000_000 != 0 || epochDay < FIRST_DAY || epochDay > LAST_DAY) {
                out.append(at);
                return;
            }
            if (epochDay != day) {
                day = epochDay;
                date = LocalDate.ofEpochDay(epochDay) + "T";
            }
            int ofDay = (int) Math.floorMod(second, 86_400);
            out.append(date);
            appendPadded(out, ofDay / 3_600, 2);
            out.append(':');
            appendPadded(out, ofDay / 60 % 60, 2);
            out.append(':');
            appendPadded(out, ofDay % 60, 2);
            if (nanos != 0) {
                out.append('.');
                appendPadded(out, nanos / 1_000_000, 3);
            }
            out.append('Z');
        }
    }
}
