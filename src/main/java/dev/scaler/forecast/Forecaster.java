package dev.scaler.forecast;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Forecasts a target's load from its own past: a daily profile of the last days (refreshed now and then by
 * {@link #fit}), corrected to the level the load has now and followed by the trend of the latest samples
 * ({@link #forecast}, every tick). A pure function of its arguments and the clock: no I/O, no framework, so
 * the live loop and the backtest run this same code.
 *
 * <p>Why this and not Holt-Winters: see docs/forecast.md. In short, a profile needs no fitted smoothing
 * constants, cannot drift between refreshes, and its level correction reacts to a day that is busier than
 * the days before at once, while the trend of the latest samples follows a ramp the profile did not know.
 */
public final class Forecaster {

    private static final long DAY = 86_400_000L;
    /** Bins of the recent past the level correction compares with the profile, in coarse steps. */
    private static final int LEVEL_BINS = 6;
    /** Fewer samples than this in the trend window and there is no trend to fit. */
    private static final int MIN_RECENT = 3;
    /** A history with more of its samples missing than this is not trusted. */
    private static final double MAX_GAP_SHARE = 0.1;
    /** A trend counts when its slope is this many standard errors from zero. */
    private static final double SIGNIFICANT = 1;

    private final Clock clock;

    public Forecaster(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Builds the model from the coarse history: the samples before now, at most {@code settings.history()}
     * back. Chooses the method on the data: the profile is used only if, on the last day of the history,
     * it predicted one step ahead better than the latest value did.
     */
    public Model fit(ForecastSettings settings, Series history) {
        Instant now = clock.instant();
        long stepMillis = history.step().toMillis();
        if (stepMillis > DAY || DAY % stepMillis != 0) {
            return new Model.Unusable(now, "history step " + history.step() + " does not divide a day", "");
        }
        Series window = history.between(now.minus(settings.history()), now);
        int first = -1;
        int missing = 0;
        for (int i = 0; i < window.size(); i++) {
            if (Double.isNaN(window.values()[i])) {
                if (first >= 0) {
                    missing++;
                }
            } else if (first < 0) {
                first = i;
            }
        }
        if (first < 0) {
            return new Model.Unusable(now, "no history: the range query returned no sample", "");
        }
        // a sample is stamped at the end of the step it covers: the history starts a step before the first stamp
        Instant from = window.at(first).minus(history.step());
        Duration span = Duration.between(from, now);
        int used = window.size() - first;
        String data = days(span) + " of history at " + short_(history.step()) + " from " + from;
        if (span.compareTo(settings.minHistory()) < 0) {
            return new Model.Unusable(now, "too little history: " + days(span) + " of the "
                    + days(settings.minHistory()) + " needed (predictive-min-history)", data);
        }
        if (missing > MAX_GAP_SHARE * used) {
            return new Model.Unusable(now, "gaps in the history: " + missing + " of " + used + " samples missing",
                    data);
        }
        int bins = (int) (DAY / stepMillis);
        int days = (int) Math.min(span.toMillis() / DAY, settings.history().toMillis() / DAY);
        double[] values = window.values();
        long startMillis = window.start().toEpochMilli();
        double[] profile = profile(values, first, startMillis, stepMillis, bins, values.length - days * bins, values.length);
        if (days < 2) {
            return new Model.Seasonal(now, profile, stepMillis, days, Double.NaN, Double.NaN, data
                    + "; one day: profile not checked against a day it did not see");
        }
        // the last day, predicted by the profile of the days before it
        int lastDay = values.length - bins;
        double[] before = profile(values, first, startMillis, stepMillis, bins, values.length - days * bins, lastDay);
        double seasonalAbs = 0;
        double persistAbs = 0;
        double total = 0;
        for (int i = lastDay; i < values.length; i++) {
            double actual = values[i];
            if (Double.isNaN(actual) || Double.isNaN(values[i - 1])) {
                continue;
            }
            double observed = 0;
            double expected = 0;
            for (int k = i - LEVEL_BINS; k < i; k++) {
                double p = before[bin(startMillis, k, stepMillis, bins)];
                if (!Double.isNaN(values[k]) && !Double.isNaN(p)) {
                    observed += values[k];
                    expected += p;
                }
            }
            double p = before[bin(startMillis, i, stepMillis, bins)];
            double seasonal = expected > 0 && !Double.isNaN(p) ? p * observed / expected : values[i - 1];
            seasonalAbs += Math.abs(seasonal - actual);
            persistAbs += Math.abs(values[i - 1] - actual);
            total += actual;
        }
        double seasonalError = total > 0 ? seasonalAbs / total : 0;
        double persistenceError = total > 0 ? persistAbs / total : 0;
        String checked = String.format(Locale.ROOT, "; last day's error: profile %.1f %%, latest value %.1f %%",
                100 * seasonalError, 100 * persistenceError);
        if (seasonalError >= persistenceError) {
            return new Model.TrendOnly(now, seasonalError, persistenceError, data + checked);
        }
        return new Model.Seasonal(now, profile, stepMillis, days, seasonalError, persistenceError, data + checked);
    }

    /**
     * The highest load expected over {@code horizon}: the larger of the trend of the latest samples at the
     * horizon and the level-corrected profile's highest value over it, plus {@code margin} times the
     * latest samples' spread around their trend.
     *
     * @param recent the latest fine samples (the load the target read on its last ticks)
     */
    public Forecast forecast(ForecastSettings settings, Model model, Series recent, Duration horizon) {
        Instant now = clock.instant();
        if (model instanceof Model.Unusable u) {
            return Forecast.none(now, horizon, u.reason(), u.data());
        }
        long nowMillis = now.toEpochMilli();
        long windowStart = nowMillis - settings.trendWindow().toMillis();
        long recentStart = recent.start().toEpochMilli();
        long fineMillis = recent.step().toMillis();
        double[] v = recent.values();
        // least squares on (seconds before now, value) over the trend window
        int n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < v.length; i++) {
            long t = recentStart + i * fineMillis;
            if (t < windowStart || t > nowMillis || Double.isNaN(v[i])) {
                continue;
            }
            double x = (t - nowMillis) / 1000.0;
            n++;
            sx += x;
            sy += v[i];
            sxx += x * x;
            sxy += x * v[i];
        }
        if (n < MIN_RECENT) {
            return Forecast.none(now, horizon, "too few recent samples: " + n + " in the last "
                    + short_(settings.trendWindow()) + " (predictive-trend-window), " + MIN_RECENT + " needed",
                    model.data());
        }
        double denominator = n * sxx - sx * sx;
        double slope = denominator > 0 ? (n * sxy - sx * sy) / denominator : 0;
        double level = (sy - slope * sx) / n;
        double squares = 0;
        double profileNow = 0;
        double observedNow = 0;
        for (int i = 0; i < v.length; i++) {
            long t = recentStart + i * fineMillis;
            if (t < windowStart || t > nowMillis || Double.isNaN(v[i])) {
                continue;
            }
            double fit = level + slope * (t - nowMillis) / 1000.0;
            squares += (v[i] - fit) * (v[i] - fit);
            if (model instanceof Model.Seasonal s) {
                double p = s.at(t);
                if (!Double.isNaN(p)) {
                    profileNow += p;
                    observedNow += v[i];
                }
            }
        }
        double spread = n > 2 ? Math.sqrt(squares / (n - 2)) : 0;
        // a slope within one standard error of zero is noise: extrapolating it would add and remove replicas
        double slopeError = n > 2 && denominator > 0 ? spread * Math.sqrt(n / denominator) : Double.POSITIVE_INFINITY;
        if (Math.abs(slope) < SIGNIFICANT * slopeError) {
            slope = 0;
        }
        double h = horizon.toMillis() / 1000.0;
        double trend = Math.max(0, level + slope * h);
        double hb = h + settings.batch().toMillis() / 1000.0;
        double trendAhead = Math.max(trend, level + slope * hb);
        double seasonal = Double.NaN;
        String method = "trend";
        String data = model.data() + "; " + n + " samples of the last " + short_(settings.trendWindow());
        double seasonalAhead = Double.NaN;
        if (model instanceof Model.Seasonal s && profileNow > 0) {
            double ratio = observedNow / profileNow;
            double highest = 0;
            double highestAhead = 0;
            long end = nowMillis + horizon.toMillis();
            for (long t = nowMillis + fineMillis; t <= end + settings.batch().toMillis(); t += fineMillis) {
                double p = s.at(t);
                if (!Double.isNaN(p)) {
                    highestAhead = Math.max(highestAhead, p);
                    if (t <= end) {
                        highest = Math.max(highest, p);
                    }
                }
            }
            // the profile's rise over the horizon, applied to the level the load has now
            seasonal = highest * ratio;
            seasonalAhead = highestAhead * ratio;
            method = "seasonal+trend";
        }
        double extra = settings.margin() * spread;
        double value = Math.max(trend, Double.isNaN(seasonal) ? 0 : seasonal) + extra;
        double ahead = Math.max(trendAhead, Double.isNaN(seasonalAhead) ? 0 : seasonalAhead) + extra;
        return new Forecast(now, horizon, true, value, ahead, method, level, slope, seasonal, spread, data, "");
    }

    /** Mean per time-of-day bin of {@code values[from..to)}; NaN for a bin with no sample. */
    private static double[] profile(double[] values, int first, long startMillis, long stepMillis, int bins, int from,
                                    int to) {
        double[] sum = new double[bins];
        int[] count = new int[bins];
        for (int i = Math.max(from, first); i < to; i++) {
            if (!Double.isNaN(values[i])) {
                int b = bin(startMillis, i, stepMillis, bins);
                sum[b] += values[i];
                count[b]++;
            }
        }
        double[] profile = new double[bins];
        for (int b = 0; b < bins; b++) {
            profile[b] = count[b] == 0 ? Double.NaN : sum[b] / count[b];
        }
        return profile;
    }

    private static int bin(long startMillis, int index, long stepMillis, int bins) {
        return (int) (Math.floorMod(startMillis + index * stepMillis, DAY) / stepMillis) % bins;
    }

    private static String days(Duration d) {
        double days = d.toMillis() / (double) DAY;
        return days >= 1 ? String.format(Locale.ROOT, "%.1f days", days)
                : String.format(Locale.ROOT, "%.1f hours", d.toMillis() / 3_600_000.0);
    }

    static String short_(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
