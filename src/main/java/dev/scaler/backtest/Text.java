package dev.scaler.backtest;

import dev.scaler.decision.Decimals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Numbers and times written into the backtest's files, once per step (125,310 lines for WorldCup98) or per
 * chart column: the same text as {@code String.format}, {@code BigDecimal} and {@link Instant#toString},
 * without their cost ({@link Decimals}; {@code Instant.toString} builds a formatter's context per call).
 * Values the fast paths cannot be sure of take the slow path, so the text never differs; {@code TextTest}
 * compares both.
 */
final class Text {

    private static final long FIRST_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private Text() {
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
        long scaled = Decimals.scaled(v, 4);
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
            Decimals.appendPadded(out, fraction, digits);
        }
    }

    /**
     * Writes instants as {@link Instant#toString} does, the date once per day: for one trace the instants
     * come in order, so a day's text is made once and the time of day by hand.
     */
    static final class Times {
        private long day = Long.MIN_VALUE;
        private String date;

        void append(StringBuilder out, Instant at) {
            if (at.getNano() % 1_000_000 != 0) {
                out.append(at);
            } else {
                append(out, at.getEpochSecond(), at.getNano() / 1_000_000);
            }
        }

        /** {@code Instant.ofEpochMilli(epochMilli).toString()}. */
        void append(StringBuilder out, long epochMilli) {
            append(out, Math.floorDiv(epochMilli, 1000), (int) Math.floorMod(epochMilli, 1000));
        }

        private void append(StringBuilder out, long second, int millis) {
            long epochDay = Math.floorDiv(second, 86_400);
            if (epochDay < FIRST_DAY || epochDay > LAST_DAY) {
                out.append(Instant.ofEpochSecond(second, millis * 1_000_000L));
                return;
            }
            if (epochDay != day) {
                day = epochDay;
                date = LocalDate.ofEpochDay(epochDay) + "T";
            }
            int ofDay = (int) Math.floorMod(second, 86_400);
            out.append(date);
            Decimals.appendPadded(out, ofDay / 3_600, 2);
            out.append(':');
            Decimals.appendPadded(out, ofDay / 60 % 60, 2);
            out.append(':');
            Decimals.appendPadded(out, ofDay % 60, 2);
            if (millis != 0) {
                out.append('.');
                Decimals.appendPadded(out, millis, 3);
            }
            out.append('Z');
        }
    }
}
