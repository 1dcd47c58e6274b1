package dev.scaler.decision;

import dev.scaler.testing.AwkwardDoubles;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Decimals writes what String.format writes, ties, signs and huge values included. */
class DecimalsTest {

    @Test
    void fixedDecimalsReadAsStringFormat() {
        for (double v : AwkwardDoubles.values()) {
            for (int decimals = 0; decimals <= 4; decimals++) {
                StringBuilder out = new StringBuilder("x");
                Decimals.appendFixed(out, v, decimals);
                assertThat(out.toString()).as("%s to %d decimals", v, decimals)
                        .isEqualTo("x" + String.format(Locale.ROOT, "%." + decimals + "f", v));
            }
        }
    }

    @Test
    void paddedToTheDigitsAsked() {
        StringBuilder out = new StringBuilder();
        Decimals.appendPadded(out, 7, 3);
        Decimals.appendPadded(out, 0, 2);
        Decimals.appendPadded(out, 1234, 4);
        Decimals.appendPadded(out, 5, 1);
        assertThat(out.toString()).isEqualTo("007" + "00" + "1234" + "5");
    }
}
