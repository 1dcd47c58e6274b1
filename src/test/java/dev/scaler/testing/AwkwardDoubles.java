package dev.scaler.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Doubles that trip fast number-to-text code: ties at each precision, signed zeros, the edges of long and of
 * double, non-finite values, and the load and chart values a backtest writes. The same seed every time, so a
 * failure names a value that comes back.
 */
public final class AwkwardDoubles {

    private AwkwardDoubles() {
    }

    public static List<Double> values() {
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
}
