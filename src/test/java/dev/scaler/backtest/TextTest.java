package dev.scaler.backtest;

import dev.scaler.testing.AwkwardDoubles;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The backtest's fast number and time text is the text of BigDecimal and Instant.toString. */
class TextTest {

    @Test
    void plainNumbersReadAsBigDecimal() {
        for (double v : AwkwardDoubles.values()) {
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
