package dev.scaler.forecast;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One target's forecast between ticks: the model of the last refresh, when the next refresh is due, and how
 * right the recent forecasts were. The backtest drives it on every step; the live loop is to drive it the same
 * way, reading the range query off the tick's path when {@link #refreshDue()} and handing the result to
 * {@link #refreshed} (or {@link #refreshFailed}). Pure and in memory; not thread-safe.
 */
public final class TargetForecast {

    private final ForecastSettings settings;
    private final Clock clock;
    private final Forecaster forecaster;
    private final ForecastTracker tracker = new ForecastTracker();
    private Model model;

    public TargetForecast(ForecastSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.forecaster = new Forecaster(clock);
    }

    public ForecastSettings settings() {
        return settings;
    }

    /** True before the first refresh and once {@code predictive-refresh} has passed since the last. */
    public boolean refreshDue() {
        return model == null || !clock.instant().isBefore(model.fittedAt().plus(settings.refresh()));
    }

    /** The history the range query returned: the model is rebuilt from it. */
    public void refreshed(Series history) {
        model = forecaster.fit(settings, history);
    }

    /** The range query failed or was partial: no forecast until the next refresh, and this is why. */
    public void refreshFailed(String reason) {
        model = new Model.Unusable(clock.instant(), reason, "");
    }

    /** The model in use; null before the first refresh. */
    public Model model() {
        return model;
    }

    /**
     * A tick: judges the earlier forecasts on the load now, forecasts over {@code horizon} from the latest
     * loads, and sets the forecast aside if the recent ones were too wrong. Forecasts set aside are still
     * judged, so one that is right again is used again.
     *
     * @param loadNow the load read on this tick; NaN when there was none
     * @param recent  the latest loads, this tick's included
     */
    public Forecast tick(double loadNow, Series recent, Duration horizon) {
        Instant now = clock.instant();
        tracker.observe(now, loadNow);
        if (model == null) {
            return Forecast.none(now, horizon, "no history read yet", "");
        }
        Forecast raw = forecaster.forecast(settings, model, recent, horizon);
        tracker.forecasted(raw);
        return tracker.check(raw, settings.maxError());
    }

    /** Relative error of the recent forecasts against what then came; NaN until enough were judged. */
    public double recentError() {
        return tracker.recentError();
    }

    /** The last judged forecast's error, (forecast - what came) / what came; NaN if none. */
    public double lastError() {
        return tracker.lastError();
    }
}
