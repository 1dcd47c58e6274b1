package dev.scaler.backtest;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The backtest's fast number and time text is the text of BigDecimal and Instant.toString. */
class TextTest {

    private static List<Double> values() {
        Random random = new Random(7);
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 0.05, 0.15, 0.25, 0.00005, 1.00005, 2.49995, 0.1 + 0.2,
                1e-9, 999.95, 9.99995, 1e11 + 0.05, 1e12, 1e13 + 0.3, 1e15 + 0.5, 1e300, Double.MIN_VALUE, -1.25, -0.04,
                -1e-9, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        for (int i = 0; i < 2_000; i++) {
            values.add(random.nextInt(300_000) / 60.0);                      // WorldCup98: per minute / 60
            values.add((random.nextInt(2_000_000) + 0.5) / 10.0);            // ties at each precision
            values.add((random.nextInt(2_000_000) + 0.5) / 10_000.0);
            values.add(70 + random.nextDouble() * 1040);                     // chart coordinates
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(26) - 10) * (random.nextBoolean() ? 1 : -1));
        }
        return values;
    }

    @Test
    void plainNumbersReadAsBigDecimal() {
        for (double v : values()) {
            if (!Double.isFinite(v)) {
                continue;
            }
            String expected = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                    : BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
            StringBuilder out = new StringBuilder();
            Text.appendPlain(out, v);
            assertThat(out.toString()).as("%s", v).isEqualTo(expected);
        }
    }

    @Test
    void timesReadAsInstantToString() {
        List<Instant> instants = new ArrayList<>();
        for (Instant at = Instant.parse("1998-06-29T23:58:00Z"); at.isBefore(Instant.parse("1998-07-01T00:03:00Z"));
             at = at.plus(Duration.ofSeconds(30))) {
            instants.add(at);
        }
        instants.addAll(List.of(Instant.EPOCH, Instant.ofEpochMilli(-1), Instant.ofEpochMilli(1_500),
                Instant.ofEpochSecond(0, 1_000), Instant.ofEpochSecond(0, 7), Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("2026-02-28T23:59:59.250Z"), Instant.MIN,
                Instant.MAX));
        Text.Times times = new Text.Times();
        for (Instant at : instants) {
            StringBuilder out = new StringBuilder();
            times.append(out, at);
            assertThat(out.toString()).isEqualTo(at.toString());
            if (at.getNano() % 1_000_000 == 0 && Math.abs(at.getEpochSecond()) < 1L << 40) {
                out.setLength(0);
                times.append(out, at.toEpochMilli());
                assertThat(out.toString()).isEqualTo(at.toString());
            }
        }
    }
}
