package dev.scaler.backtest;

import dev.scaler.decision.Decider;
import dev.scaler.decision.Decision;
import dev.scaler.decision.DecisionHistory;
import dev.scaler.decision.DecisionMemory;
import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricState;
import dev.scaler.decision.Policy;
import dev.scaler.forecast.Forecast;
import dev.scaler.forecast.ForecastSettings;
import dev.scaler.forecast.TargetForecast;
import dev.scaler.forecast.Series;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Replays a recorded load through one policy with the production {@link Decider} and a simulated clock.
 * Each decision interval does what the live loop's {@code TargetEvaluator} does: observe the running
 * count, read the load, rebuild the decider's memory with {@link DecisionMemory} (the code
 * {@code JdbcHistoryStore} uses), decide, record the decision, carry out a scale and record the action.
 *
 * <p>The simulated world: a scale action succeeds at once (it ends when it was decided, which starts
 * the cooldowns); the compose service then runs the new count, but replicas added by a scale-up serve
 * only after the start delay. Replicas removed are the not-yet-serving ones first. Supply is the number
 * of serving replicas after the interval's decision; demand is ceil(load / real capacity).
 */
public final class Replay {

    /** Floating error must not make ceil() ask for one replica too many; the decider uses the same margin. */
    private static final double EPSILON = 1e-9;

    /** Sees every decision as it is made; the identity test compares these with the live loop's. */
    public interface DecisionObserver {
        void decided(int step, Instant at, int observed, MetricReading reading, Decision decision);
    }

    /** Told how far a long replay is; called every {@link #PROGRESS_EVERY} steps. */
    public interface Progress {
        void at(int done, int total);
    }

    static final int PROGRESS_EVERY = 1 << 14;

    private Replay() {
    }

    public static ReplayResult run(LoadTrace trace, NamedPolicy named, ReplaySettings settings) {
        return run(trace, named, settings, (step, at, observed, reading, decision) -> { }, (done, total) -> { });
    }

    public static ReplayResult run(LoadTrace trace, NamedPolicy named, ReplaySettings settings,
                                   DecisionObserver observer, Progress progress) {
        return run(null, trace, named, settings, observer, progress);
    }

    /**
     * @param history the load before the trace (same step, ending where the trace starts), or null: what a
     *                forecasting policy's range query would have read. The forecast is refreshed from it, and
     *                from the trace as the replay passes it, every {@code predictive-refresh}, as live.
     */
    public static ReplayResult run(LoadTrace history, LoadTrace trace, NamedPolicy named, ReplaySettings settings,
                                   DecisionObserver observer, Progress progress) {
        Policy policy = named.policy();
        long stepMillis = trace.step().toMillis();
        long tickMillis = settings.interval() == null ? stepMillis : settings.interval().toMillis();
        long totalMillis = stepMillis * trace.size();
        long ticksLong = totalMillis / tickMillis;
        if (ticksLong < 1) {
            throw new BacktestInputException("the trace covers " + Duration.ofMillis(totalMillis)
                    + ", less than one decision interval of " + Duration.ofMillis(tickMillis));
        }
        if (ticksLong > 50_000_000L) {
            throw new BacktestInputException(ticksLong + " decision intervals are too many for one replay;"
                    + " use a longer --interval or a shorter --from/--to window");
        }
        int ticks = (int) ticksLong;
        long startMillis = trace.start().toEpochMilli();
        long delayMillis = settings.startDelay().toMillis();
        Duration lookback = policy.stabilizationLookback();

        SimulatedClock clock = new SimulatedClock(trace.start());
        Decider decider = new Decider(clock);
        DecisionMemory memory = new DecisionMemory();

        double[] load = new double[ticks];
        int[] demand = new int[ticks];
        int[] supply = new int[ticks];
        int[] running = new int[ticks];
        List<ScaleAction> actions = new ArrayList<>();
        int holds = 0;

        ForecastSettings fs = named.forecast();
        TargetForecast forecasting = new TargetForecast(fs, clock);
        Duration horizon = fs.horizonOr(settings.startDelay().plus(Duration.ofMillis(tickMillis)));
        Series coarse = fs.enabled() ? coarseHistory(history, trace, fs.step()) : null;
        int recentTicks = (int) Math.max(1, fs.trendWindow().toMillis() / tickMillis);
        // the loads of the ticks before the replay, from the history, so the trend is known from the first tick
        double[] before = new double[recentTicks];
        Arrays.fill(before, Double.NaN);
        if (fs.enabled() && history != null) {
            long perTick = Math.max(1, tickMillis / stepMillis);
            for (int k = 0; k < recentTicks; k++) {
                long last = history.size() - (long) (recentTicks - k - 1) * perTick - 1;
                long first = last - perTick + 1;
                if (first >= 0) {
                    before[k] = loadOver(history, first, last);
                }
            }
        }
        double[] forecast = new double[ticks];
        Arrays.fill(forecast, Double.NaN);

        int replicas = settings.initialReplicas() == null ? policy.minReplicas() : settings.initialReplicas();
        ArrayDeque<Long> startingUntil = new ArrayDeque<>();
        int lastDemand = 0;

        for (int i = 0; i < ticks; i++) {
            long offset = i * tickMillis;
            Instant now = Instant.ofEpochMilli(startMillis + offset);
            clock.set(now);
            double l = loadOver(trace, offset / stepMillis, (offset + tickMillis - 1) / stepMillis);
            load[i] = l;

            MetricReading reading = Double.isNaN(l)
                    ? MetricReading.failed(MetricState.EMPTY, "no sample in the trace at " + now)
                    : MetricReading.healthy(l, now);
            int observed = replicas;
            DecisionHistory decisions = memory.history(lookback, now);
            Decision decision;
            if (fs.enabled()) {
                if (forecasting.refreshDue()) {
                    forecasting.refreshed(coarse);
                }
                int first = i - recentTicks;
                double[] latest = new double[recentTicks + 1];
                for (int k = 0; k <= recentTicks; k++) {
                    int j = first + k;
                    latest[k] = j >= 0 ? load[j] : before[recentTicks + j];
                }
                Series recent = new Series(Instant.ofEpochMilli(startMillis + (long) first * tickMillis),
                        Duration.ofMillis(tickMillis), latest);
                Forecast f = forecasting.tick(l, recent, horizon);
                if (f.usable()) {
                    forecast[i] = f.value();
                }
                decision = decider.decide(policy, OptionalInt.of(observed), reading, decisions, f, fs);
            } else {
                decision = decider.decide(policy, OptionalInt.of(observed), reading, decisions);
            }
            memory.decision(now, decision.recommendation(), reading.state());
            observer.decided(i, now, observed, reading, decision);

            if (decision instanceof Decision.Scale scale) {
                memory.action(now, scale.from(), scale.to(), DecisionMemory.ActionResult.SUCCEEDED);
                memory.decided(now, scale.to());
                actions.add(new ScaleAction(now, scale.from(), scale.to(), scale.reason()));
                if (scale.to() > replicas) {
                    for (int k = replicas; k < scale.to(); k++) {
                        startingUntil.addLast(now.toEpochMilli() + delayMillis);
                    }
                } else {
                    for (int k = scale.to(); k < replicas; k++) {
                        if (!startingUntil.isEmpty()) {
                            startingUntil.removeLast();
                        }
                    }
                }
                replicas = scale.to();
            } else {
                holds++;
            }
            while (!startingUntil.isEmpty() && startingUntil.peekFirst() <= now.toEpochMilli()) {
                startingUntil.removeFirst();
            }
            running[i] = replicas;
            supply[i] = replicas - startingUntil.size();
            if (!Double.isNaN(l)) {
                lastDemand = (int) Math.min(Integer.MAX_VALUE,
                        Math.max(0, Math.ceil(l / settings.capacityPerReplica() - EPSILON)));
            }
            // no sample: the demand is unknown, so the last known one stands (0 before any sample)
            demand[i] = lastDemand;
            if ((i + 1) % PROGRESS_EVERY == 0) {
                progress.at(i + 1, ticks);
            }
        }
        progress.at(ticks, ticks);
        double[] forecastFor = new double[ticks];
        Arrays.fill(forecastFor, Double.NaN);
        int ahead = (int) Math.max(1, horizon.toMillis() / tickMillis);
        for (int i = 0; i < ticks; i++) {
            if (Double.isNaN(forecast[i]) || i + ahead >= ticks) {
                continue;
            }
            double highest = Double.NaN;
            for (int j = i + 1; j <= i + ahead; j++) {
                if (!Double.isNaN(load[j])) {
                    highest = Double.isNaN(highest) ? load[j] : Math.max(highest, load[j]);
                }
            }
            forecastFor[i] = highest;
        }
        return new ReplayResult(named.name(), trace.start(), Duration.ofMillis(tickMillis), load, demand, supply,
                running, actions, forecast, forecastFor);
    }

    /**
     * The history and the trace at the forecast's coarse step, each value the mean of its step and stamped at
     * the step's end, as {@code query_range} of a {@code rate()} stamps it: a value is known once its step has passed.
     */
    static Series coarseHistory(LoadTrace history, LoadTrace trace, Duration step) {
        double[] values = trace.values();
        Instant start = trace.start();
        if (history != null) {
            if (!history.step().equals(trace.step()) || !history.end().equals(trace.start())) {
                throw new BacktestInputException("the history " + history + " does not end where the replay "
                        + trace + " starts, at the same step");
            }
            values = new double[history.size() + trace.size()];
            System.arraycopy(history.values(), 0, values, 0, history.size());
            System.arraycopy(trace.values(), 0, values, history.size(), trace.size());
            start = history.start();
        }
        long stepMillis = step.toMillis();
        long fineMillis = trace.step().toMillis();
        if (stepMillis % fineMillis != 0) {
            throw new BacktestInputException("predictive-step " + step + " must be a multiple of the trace's step "
                    + trace.step());
        }
        // align the bins on the coarse grid of the epoch, so a bin is the same time of day every day
        long skip = Math.floorMod(-start.toEpochMilli(), stepMillis) / fineMillis;
        int from = (int) Math.min(values.length, skip);
        Series fine = new Series(start.plusMillis(from * fineMillis), trace.step(),
                Arrays.copyOfRange(values, from, values.length));
        Series averaged = Series.averaged(fine, step);
        return new Series(averaged.start().plus(step), step, averaged.values());
    }

    /** Mean of the samples in trace steps {@code first..last} (inclusive); NaN when none has a sample. */
    private static double loadOver(LoadTrace trace, long first, long last) {
        int to = (int) Math.min(last, trace.size() - 1);
        if (first == to) {
            return trace.value(to);
        }
        double sum = 0;
        int n = 0;
        for (int j = (int) first; j <= to; j++) {
            double v = trace.value(j);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** One scale action of the replay, with the decider's reason. */
    public record ScaleAction(Instant at, int from, int to, String reason) {
    }
}
