package dev.scaler.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Synthetic daily-shaped load as OpenMetrics text, for {@link PrometheusProcess#startWithHistory}: {@code low}
 * all day except {@code high} for {@code busy} from the time of day of {@code rise}, every day from {@code from}
 * to {@code to}, one sample a minute. With {@code rise} a few minutes after now, the days before now all rose
 * at the time of day that is about to come.
 */
public final class DailyHistory {

    private DailyHistory() {
    }

    public static String openMetrics(String metric, String labels, Instant from, Instant to, Instant rise,
                                     Duration busy, double low, double high) {
        long day = Duration.ofDays(1).toMillis();
        long riseOfDay = Math.floorMod(rise.toEpochMilli(), day);
        StringBuilder out = new StringBuilder("# TYPE ").append(metric).append(" gauge\n");
        long first = Math.floorDiv(from.toEpochMilli(), 60_000L) * 60_000L;
        for (long t = first; t <= to.toEpochMilli(); t += 60_000L) {
            long sinceRise = Math.floorMod(Math.floorMod(t, day) - riseOfDay, day);
            double v = sinceRise < busy.toMillis() ? high : low;
            out.append(metric).append('{').append(labels).append("} ")
                    .append(String.format(Locale.ROOT, "%.1f", v)).append(' ').append(t / 1000).append('\n');
        }
        return out.append("# EOF\n").toString();
    }
}
