package dev.scaler.forecast;

import java.time.Duration;
import java.time.Instant;

/**
 * The load expected over the next horizon, or why there is none.
 *
 * @param value    the highest load expected in (at, at + horizon], margin included; NaN when not usable
 * @param method   {@code seasonal+trend}, {@code trend}, or {@code none}
 * @param level    the load now, fitted on the latest samples
 * @param slope    the trend of the latest samples, load per second
 * @param seasonal the level-corrected profile's highest value over the horizon; NaN when not used
 * @param spread   standard deviation of the latest samples around their trend
 * @param ahead    the same, over the horizon and the batch after it: what a scale-up asks for
 * @param data     what it was computed from
 * @param reason   why it is not usable; empty when it is
 */
public record Forecast(Instant at, Duration horizon, boolean usable, double value, double ahead, String method,
                       double level,
                       double slope, double seasonal, double spread, String data, String reason) {

    static Forecast none(Instant at, Duration horizon, String reason, String data) {
        return new Forecast(at, horizon, false, Double.NaN, Double.NaN, "none", Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                data, reason);
    }

    /** This forecast, now known to be unusable for {@code why}; its numbers are kept for the record. */
    public Forecast unusable(String why) {
        return new Forecast(at, horizon, false, value, ahead, method, level, slope, seasonal, spread, data, why);
    }

    /** One line for a decision's reason and logs. */
    public String describe() {
        if (!usable) {
            return "no forecast (" + reason + ")";
        }
        return "forecast " + round(value) + " within " + seconds(horizon) + (ahead > value ? ", " + round(ahead)
                + " batched ahead" : "") + " (" + method + ": level " + round(level)
                + ", trend " + round(slope * 60) + "/min" + (Double.isNaN(seasonal) ? "" : ", profile " + round(seasonal))
                + ", spread " + round(spread) + "; " + data + ")";
    }

    static String round(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return Math.abs(v - Math.rint(v)) < 1e-9 ? Long.toString((long) Math.rint(v))
                : String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
