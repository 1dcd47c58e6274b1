package dev.scaler.loop;

import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricState;
import dev.scaler.decision.RangeReading;
import dev.scaler.forecast.Forecast;
import dev.scaler.forecast.ForecastSettings;
import dev.scaler.forecast.Model;
import dev.scaler.forecast.Series;
import dev.scaler.forecast.TargetForecast;
import dev.scaler.metrics.MetricSource;
import dev.scaler.target.Target;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The live side of a target's forecast (docs/forecast.md): drives its {@link TargetForecast} exactly as the
 * backtest's replay does, with the history read by {@code query_range} of the target's query on a thread of its
 * own, so a tick never waits for it. A tick that finds the refresh due starts it and forecasts with the model it
 * has (none before the first refresh ends: the target decides reactively and says so). The latest loads the trend
 * is fitted on are the loop's own readings.
 */
@Singleton
public class LiveForecasts implements AutoCloseable {

    /**
     * The horizon when {@code predictive-horizon} is not set is the time a scale-up takes to serve plus one poll
     * interval; the live service does not know the first, so it takes the backtest's default start delay.
     */
    public static final Duration DEFAULT_START_DELAY = Duration.ofMinutes(2);
    /** The grid the loop's readings are put on for the trend: fine enough for any poll interval worth having. */
    private static final Duration RECENT_STEP = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(LiveForecasts.class);

    /**
     * A target's forecast as /api/targets shows it.
     *
     * @param mode            off, forecast-only or on
     * @param used            whether the last decision could use it (in forecast-only: record it)
     * @param method          seasonal+trend, trend, or none
     * @param value           the highest load expected over the horizon, margin included; null when none
     * @param ahead           the same over the horizon and the batch after it
     * @param horizonSeconds  how far ahead it looks
     * @param history         what the model was built from (span, step, first sample), or empty before a refresh
     * @param refreshedAt     when the history was last read (or failed to be); null before
     * @param refreshing      a range query is in flight
     * @param recentError     relative error of the recent forecasts against what then came; null until known
     * @param notUsed         why the last decision did not use it; null when it did
     */
    @Serdeable
    public record View(String mode, boolean used, String method, Double value, Double ahead, long horizonSeconds,
                       String history, Instant refreshedAt, boolean refreshing, Double recentError, String notUsed) {

        /** The same view with another "not used" text (the API redacts it). */
        public View withNotUsed(String text) {
            return new View(mode, used, method, value, ahead, horizonSeconds, history, refreshedAt, refreshing,
                    recentError, text);
        }
    }

    private final MetricSource metrics;
    private final Clock clock;
    private final ExecutorService refresher;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public LiveForecasts(MetricSource metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
        this.refresher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "scaler-forecast-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    /** One target's forecast between ticks; guarded by itself. */
    private static final class State {
        final ForecastSettings settings;
        final String query;
        final TargetForecast forecast;
        final ArrayDeque<double[]> recent = new ArrayDeque<>();
        boolean refreshing;
        Forecast last;
        ForecastSettings.Mode mode = ForecastSettings.Mode.ON;

        State(ForecastSettings settings, String query, Clock clock) {
            this.settings = settings;
            this.query = query;
            this.forecast = new TargetForecast(settings, clock);
        }
    }

    /**
     * A tick of {@code target}: starts the history's refresh when due (without waiting for it), adds this tick's
     * reading to the latest loads and forecasts. Null when the target does not forecast.
     */
    public Forecast tick(Target target, MetricReading reading, Duration pollInterval) {
        return tick(target, target.forecast(), reading, pollInterval);
    }

    /**
     * As above with {@code settings} instead of the target's own ({@code scaler.predictive} may change the mode).
     * A change of mode keeps the model and the error; a change of any other setting or of the query starts anew.
     */
    public Forecast tick(Target target, ForecastSettings settings, MetricReading reading, Duration pollInterval) {
        if (!settings.enabled() || target.query() == null || target.metrics().size() != 1) {
            states.remove(target.name());
            return null;
        }
        ForecastSettings model = settings.withMode(ForecastSettings.Mode.ON);
        State state = states.compute(target.name(), (name, old) ->
                old != null && old.settings.equals(model) && old.query.equals(target.query()) ? old
                        : new State(model, target.query(), clock));
        Duration horizon = settings.horizonOr(DEFAULT_START_DELAY.plus(pollInterval));
        synchronized (state) {
            state.mode = settings.mode();
            if (state.forecast.refreshDue() && !state.refreshing) {
                state.refreshing = true;
                try {
                    refresher.execute(() -> refresh(target.name(), state));
                } catch (RejectedExecutionException e) {
                    state.refreshing = false; // shutting down: no refresh, and none pending
                }
            }
            Instant now = clock.instant();
            double load = reading.state().hasValue() ? reading.value() : Double.NaN;
            if (!Double.isNaN(load)) {
                state.recent.addLast(new double[] {now.toEpochMilli(), load});
            }
            long oldest = now.minus(settings.trendWindow()).toEpochMilli();
            while (!state.recent.isEmpty() && state.recent.peekFirst()[0] < oldest) {
                state.recent.removeFirst();
            }
            state.last = state.forecast.tick(load, recent(state.recent, now, settings.trendWindow()), horizon);
            return state.last;
        }
    }

    /** What /api/targets shows of the target's forecast; empty when it does not forecast. */
    public Optional<View> view(String target) {
        State state = states.get(target);
        if (state == null) {
            return Optional.empty();
        }
        synchronized (state) {
            Forecast f = state.last;
            Model model = state.forecast.model();
            double error = state.forecast.recentError();
            boolean usable = f != null && f.usable();
            return Optional.of(new View(state.mode.text(), usable, f == null ? "none" : f.method(),
                    usable ? f.value() : null, usable && !Double.isNaN(f.ahead()) ? f.ahead() : null,
                    f == null ? 0 : f.horizon().toSeconds(), model == null ? "" : model.data(),
                    model == null ? null : model.fittedAt(), state.refreshing,
                    Double.isFinite(error) ? error : null,
                    f == null ? "no tick yet" : usable ? null : f.reason()));
        }
    }

    /** Relative error of the target's recent forecasts; NaN when unknown or it does not forecast. */
    public double recentError(String target) {
        State state = states.get(target);
        if (state == null) {
            return Double.NaN;
        }
        synchronized (state) {
            return state.forecast.recentError();
        }
    }

    /** Reads the history and hands it to the model; on the refresh thread, never on a tick's. */
    private void refresh(String target, State state) {
        Instant now = clock.instant();
        Duration step = state.settings.step();
        // on the epoch's grid of the step, so a bin is the same time of day every day (as the backtest's)
        Instant to = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), step.toMillis()) * step.toMillis());
        Instant from = to.minus(state.settings.history());
        Series history = null;
        String failed;
        try {
            RangeReading range = metrics.readRange(state.query, from, to, step);
            if (range.state() == MetricState.HEALTHY) {
                history = series(range, from, to, step);
                failed = null;
            } else if (range.state() == MetricState.DEGRADED) {
                failed = "range query partial (Prometheus warned: " + range.detail() + ")";
            } else {
                failed = "range query " + range.state() + ": " + range.detail();
            }
        } catch (RuntimeException e) {
            failed = "range query failed inside Scaler: " + e;
        }
        synchronized (state) {
            if (history != null) {
                state.forecast.refreshed(history);
            } else {
                state.forecast.refreshFailed(failed);
            }
            state.refreshing = false;
            Model model = state.forecast.model();
            String what = model instanceof Model.Unusable u ? "unusable reason=\"" + u.reason() + "\""
                    : model instanceof Model.Seasonal ? "seasonal" : "trend";
            LOG.info("target={} forecast_refresh={} history=\"{}\" took_ms={}", target, what, model.data(),
                    Duration.between(now, clock.instant()).toMillis());
        }
    }

    /** The range query's samples on the grid from {@code from} to {@code to}; a step with none is NaN, never 0. */
    static Series series(RangeReading range, Instant from, Instant to, Duration step) {
        long stepMillis = step.toMillis();
        int n = (int) (Duration.between(from, to).toMillis() / stepMillis) + 1;
        double[] values = new double[n];
        Arrays.fill(values, Double.NaN);
        for (RangeReading.Sample s : range.samples()) {
            long index = Math.round((double) Duration.between(from, s.at()).toMillis() / stepMillis);
            if (index >= 0 && index < n && Double.isFinite(s.value()) && s.value() >= 0) {
                values[(int) index] = s.value();
            }
        }
        return new Series(from, step, values);
    }

    /** The loop's readings over the trend window, each on the second it was read in. */
    static Series recent(ArrayDeque<double[]> readings, Instant now, Duration window) {
        long stepMillis = RECENT_STEP.toMillis();
        long end = Math.floorDiv(now.toEpochMilli(), stepMillis) * stepMillis;
        long start = end - Math.max(stepMillis, window.toMillis() / stepMillis * stepMillis);
        double[] values = new double[(int) ((end - start) / stepMillis) + 1];
        Arrays.fill(values, Double.NaN);
        for (double[] r : readings) {
            long index = Math.floorDiv((long) r[0] - start, stepMillis);
            if (index >= 0 && index < values.length) {
                values[(int) index] = r[1];
            }
        }
        return new Series(Instant.ofEpochMilli(start), RECENT_STEP, values);
    }

    @PreDestroy
    @Override
    public void close() {
        refresher.shutdownNow();
    }

    @Override
    public String toString() {
        return "LiveForecasts" + Objects.toString(states.keySet());
    }
}
