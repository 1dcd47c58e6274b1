package dev.scaler.forecast;

import dev.scaler.config.DurationText;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a target forecasts its load. Defaults in {@link #DEFAULTS}, documented in docs/forecast.md.
 *
 * @param mode       off (reactive only), forecast-only (forecast and record what it would do, without acting) or on
 * @param horizon    how far ahead to look; null = the start delay plus one poll interval, known only to the caller
 * @param history    how much past load the seasonal profile reads (at most 14 days is what the range query asks)
 * @param minHistory less than this and the target decides reactively
 * @param step       the coarse step of the history (the range query's step and the profile's bin)
 * @param refresh    how often the history is read again and the profile rebuilt; not every tick
 * @param trendWindow the latest samples the level and the trend are fitted on
 * @param maxError   the largest recent relative error (mean absolute error / mean load) a forecast may have
 *                   and still be used; above it, the target decides reactively
 * @param margin     forecast plus this many standard deviations of the recent samples around their trend,
 *                   so a forecast that is right on average is not short half the time
 * @param batch      when the forecast asks for more replicas, ask for what the load is expected to need this
 *                   much after the horizon too: on a long ramp, one larger scale-up instead of one per tick
 * @param tolerance  a forecast up to this share above what the running replicas carry keeps the count
 */
public record ForecastSettings(Mode mode, Duration horizon, Duration history, Duration minHistory, Duration step,
                               Duration refresh, Duration trendWindow, double maxError, double margin,
                               Duration batch, double tolerance) {

    public enum Mode {
        OFF("off"), FORECAST_ONLY("forecast-only"), ON("on");

        private final String text;

        Mode(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public static final ForecastSettings DEFAULTS = new ForecastSettings(Mode.OFF, null, Duration.ofDays(14),
            Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(20), 0.5, 1.25, Duration.ofMinutes(5), 0.05);

    /** The keys, in the kebab-case of {@code scaler.targets.<name>.*}, with the defaults' text. */
    public static final Map<String, String> KEYS;

    static {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("predictive", "off");
        keys.put("predictive-horizon", "start delay + poll interval");
        keys.put("predictive-history", "14d");
        keys.put("predictive-min-history", "24h");
        keys.put("predictive-step", "5m");
        keys.put("predictive-refresh", "15m");
        keys.put("predictive-trend-window", "20m");
        keys.put("predictive-max-error", "0.5");
        keys.put("predictive-margin", "1.25");
        keys.put("predictive-batch", "5m");
        keys.put("predictive-tolerance", "0.05");
        KEYS = java.util.Collections.unmodifiableMap(keys);
    }


    public ForecastSettings {
        Objects.requireNonNull(mode, "mode");
        List<String> problems = new ArrayList<>();
        if (horizon != null && (horizon.isNegative() || horizon.isZero())) {
            problems.add("predictive-horizon must be more than 0, got " + horizon);
        }
        positive(problems, "predictive-history", history);
        positive(problems, "predictive-min-history", minHistory);
        positive(problems, "predictive-step", step);
        positive(problems, "predictive-refresh", refresh);
        positive(problems, "predictive-trend-window", trendWindow);
        if (problems.isEmpty() && minHistory.compareTo(history) > 0) {
            problems.add("predictive-min-history (" + minHistory + ") must not exceed predictive-history (" + history + ")");
        }
        if (problems.isEmpty() && minHistory.compareTo(Duration.ofDays(1)) < 0) {
            problems.add("predictive-min-history must be at least 1d, one period of the daily profile, got " + minHistory);
        }
        if (problems.isEmpty() && (Duration.ofDays(1).toMillis() % step.toMillis() != 0)) {
            problems.add("predictive-step must divide a day evenly, got " + step);
        }
        if (batch == null || batch.isNegative()) {
            problems.add("predictive-batch must be a duration >= 0, got " + batch);
        }
        if (!(tolerance >= 0 && tolerance < 1)) {
            problems.add("predictive-tolerance must be in [0, 1), got " + tolerance);
        }
        if (!(maxError > 0) || Double.isInfinite(maxError)) {
            problems.add("predictive-max-error must be a positive number, got " + maxError);
        }
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            problems.add("predictive-margin must be a number >= 0, got " + margin);
        }
        if (!problems.isEmpty()) {
            throw new InvalidForecastSettingsException(problems);
        }
    }

    /** The same settings in another mode ({@code scaler.predictive} on a service). */
    public ForecastSettings withMode(Mode other) {
        return new ForecastSettings(other, horizon, history, minHistory, step, refresh, trendWindow, maxError, margin,
                batch, tolerance);
    }

    public boolean enabled() {
        return mode != Mode.OFF;
    }

    public Duration horizonOr(Duration fallback) {
        return horizon != null ? horizon : fallback;
    }

    /**
     * Settings from text values by key ({@link #KEYS}); absent keys take the defaults. Every bad value is
     * reported at once, naming the key and the value.
     */
    public static ForecastSettings parse(Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        Mode mode = DEFAULTS.mode;
        String m = values.get("predictive");
        if (m != null) {
            mode = switch (m.trim().toLowerCase(Locale.ROOT)) {
                case "off", "false" -> Mode.OFF;
                case "on", "true" -> Mode.ON;
                case "forecast-only" -> Mode.FORECAST_ONLY;
                default -> {
                    problems.add("predictive must be one of off, forecast-only, on; got '" + m + "'");
                    yield Mode.OFF;
                }
            };
        }
        Duration horizon = duration(problems, values, "predictive-horizon", DEFAULTS.horizon);
        Duration history = duration(problems, values, "predictive-history", DEFAULTS.history);
        Duration minHistory = duration(problems, values, "predictive-min-history", DEFAULTS.minHistory);
        Duration step = duration(problems, values, "predictive-step", DEFAULTS.step);
        Duration refresh = duration(problems, values, "predictive-refresh", DEFAULTS.refresh);
        Duration trend = duration(problems, values, "predictive-trend-window", DEFAULTS.trendWindow);
        double maxError = number(problems, values, "predictive-max-error", DEFAULTS.maxError);
        double margin = number(problems, values, "predictive-margin", DEFAULTS.margin);
        Duration batch = duration(problems, values, "predictive-batch", DEFAULTS.batch);
        double tolerance = number(problems, values, "predictive-tolerance", DEFAULTS.tolerance);
        if (!problems.isEmpty()) {
            throw new InvalidForecastSettingsException(problems);
        }
        return new ForecastSettings(mode, horizon, history, minHistory, step, refresh, trend, maxError, margin, batch, tolerance);
    }

    private static Duration duration(List<String> problems, Map<String, String> values, String key, Duration fallback) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return DurationText.parse(text);
        } catch (RuntimeException e) {
            problems.add(key + " must be a duration such as 15s, 5m, 1h, 14d or PT5M; got '" + text + "'");
            return fallback;
        }
    }

    private static double number(List<String> problems, Map<String, String> values, String key, double fallback) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            problems.add(key + " must be a number; got '" + text + "'");
            return fallback;
        }
    }

    private static void positive(List<String> problems, String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            problems.add(key + " must be more than 0, got " + d);
        }
    }
}
