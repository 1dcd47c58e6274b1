package dev.scaler.decision;

import dev.scaler.forecast.Forecast;
import dev.scaler.forecast.ForecastSettings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Decides a target's replica count from what runs, what the metric says and what happened before.
 * A pure function of its arguments and the clock: no I/O, no framework, so the live loop and the
 * backtest run exactly this code. The steps follow Kubernetes' HPA: range correction, target
 * tracking with a tolerance band, stabilization windows, per-action limits, the min/max clamp,
 * then this project's cooldowns and retry backoff.
 */
public final class Decider {

    /** Floating error must not push ceil() one replica too high, nor a usage of exactly 1.1 out of a 10 % band. */
    private static final double EPSILON = 1e-9;
    /** Why fewer replicas than decided run, unless the caller knows better. */
    public static final String EXITED_OR_REMOVED = "exited or removed";

    private final Clock clock;

    public Decider(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Decision decide(Policy policy, OptionalInt observed, MetricReading reading, DecisionHistory history) {
        return decide(policy, observed, reading, null, history);
    }

    /**
     * As above, with a forecast of the load over the horizon. In mode {@code on} the recommendation is the
     * larger of the reactive one and the forecast's ceil(forecast / capacity), after stabilization: the
     * stabilization windows remember the reactive recommendation only, so scale-in follows the observed load,
     * and a forecast can only raise the count, never lower it; max-replicas caps it. In {@code forecast-only}
     * the forecast and what it would have asked for go into the reason, and the decision is the reactive one.
     * A null or unusable forecast decides reactively and says why in the reason.
     */
    public Decision decide(Policy policy, OptionalInt observed, MetricReading reading, DecisionHistory history,
                           Forecast forecast, ForecastSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return decide(policy, observed, reading, null, history, EXITED_OR_REMOVED,
                settings.enabled() ? new Prediction(forecast, settings.mode(), settings.tolerance()) : null);
    }

    /** A forecast, whether it acts, and how far above the running replicas' capacity it may be and keep the count. */
    private record Prediction(Forecast forecast, ForecastSettings.Mode mode, double tolerance) {
    }

    /**
     * Decides on what a target's metrics say together. The {@code query} shorthand takes the classic path
     * above unchanged; several metrics (or bands) give one combined recommendation, which then goes through
     * the same stabilization, limits, clamp, cooldowns and backoff.
     */
    public Decision decide(Policy policy, OptionalInt observed, MetricVerdict verdict, DecisionHistory history) {
        return decide(policy, observed, verdict, history, EXITED_OR_REMOVED);
    }

    /**
     * @param uncounted why fewer replicas than decided may be counted, when the caller knows better than
     *                  {@value #EXITED_OR_REMOVED} (a fleet host that could not be asked), for the availability step
     */
    public Decision decide(Policy policy, OptionalInt observed, MetricVerdict verdict, DecisionHistory history,
                           String uncounted) {
        Objects.requireNonNull(verdict, "verdict");
        return decide(policy, observed, verdict.reading(), verdict.shorthand() ? null : verdict, history,
                Objects.requireNonNull(uncounted, "uncounted"));
    }

    /**
     * The live loop's call: as {@link #decide(Policy, OptionalInt, MetricVerdict, DecisionHistory, String)}, with a
     * forecast taking part as in {@link #decide(Policy, OptionalInt, MetricReading, DecisionHistory, Forecast,
     * ForecastSettings)}. The forecast is of the {@code query} shorthand's load, so it takes part only when that is
     * the target's one metric.
     */
    public Decision decide(Policy policy, OptionalInt observed, MetricVerdict verdict, DecisionHistory history,
                           String uncounted, Forecast forecast, ForecastSettings settings) {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(settings, "settings");
        if (!settings.enabled() || !verdict.shorthand()) {
            return decide(policy, observed, verdict, history, uncounted);
        }
        return decide(policy, observed, verdict.reading(), null, history, Objects.requireNonNull(uncounted, "uncounted"),
                new Prediction(forecast, settings.mode(), settings.tolerance()));
    }

    private Decision decide(Policy policy, OptionalInt observed, MetricReading reading, MetricVerdict verdict,
                            DecisionHistory history) {
        return decide(policy, observed, reading, verdict, history, EXITED_OR_REMOVED);
    }

    private Decision decide(Policy policy, OptionalInt observed, MetricReading reading, MetricVerdict verdict,
                            DecisionHistory history, String uncounted) {
        return decide(policy, observed, reading, verdict, history, uncounted, null);
    }

    private Decision decide(Policy policy, OptionalInt observed, MetricReading reading, MetricVerdict verdict,
                            DecisionHistory history, String uncounted, Prediction prediction) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(reading, "reading");
        Objects.requireNonNull(history, "history");
        Instant now = clock.instant();

        if (observed.isEmpty()) {
            return new Decision.Hold(-1, Calculation.unobserved(reading),
                    "running replicas unknown: cannot observe the service, holding");
        }
        int current = observed.getAsInt();
        if (current < 0) {
            throw new IllegalArgumentException("observed replicas cannot be negative, got " + current);
        }

        // before the range check: below min after an action set the count is a restore, with its delay
        Integer decided = history.decidedReplicas() == null ? null : policy.clamp(history.decidedReplicas());
        if (decided != null && current < decided) {
            MetricVerdict fromDecided = verdict == null ? null : verdict.at(decided, policy);
            return restoring(policy, current, decided, decide(policy, OptionalInt.of(decided),
                    fromDecided == null ? reading : fromDecided.reading(), fromDecided, history.withoutDecided(),
                    EXITED_OR_REMOVED, prediction), history, now, uncounted);
        }

        if (current > policy.maxReplicas() || current < policy.minReplicas()) {
            int desired = policy.clamp(current);
            String reason = String.format(Locale.ROOT, "observed %d is outside [%d, %d]: correcting to %d",
                    current, policy.minReplicas(), policy.maxReplicas(), desired);
            return withBackoff(policy, history, now,
                    new Decision.Scale(current, desired, Calculation.withoutMetric(current, reading, desired), reason));
        }

        if (!reading.state().hasValue()) {
            return withoutMetric(policy, current, reading, history, now);
        }
        if (verdict != null) {
            return combined(policy, current, verdict, history, now);
        }
        return tracking(policy, current, reading, history, now, prediction);
    }

    /**
     * Fewer replicas run than the last successful action set: containers died or were removed. The count
     * to run is decided as if the decided replicas were running, so restoring them waits for no scale-up
     * cooldown (it is not a new scale-up), while any change the load asks for follows the usual rules.
     */
    private static Decision restoring(Policy policy, int current, int decided, Decision fromDecided,
                                      DecisionHistory history, Instant now, String uncounted) {
        int to = fromDecided instanceof Decision.Scale scale ? scale.to() : decided;
        Calculation c = fromDecided.calculation();
        Calculation calc = new Calculation(current, c.metricState(), c.load(), c.raw(), c.afterTolerance(),
                c.stabilized(), c.limited(), c.desired() == null ? to : c.desired());
        String why = "availability: " + current + " of the " + decided + " decided replicas run (" + uncounted + ")";
        // Replicas that cannot start (a crash loop, a swarm task with no room) must not make every tick run the
        // playbook: after the action that set the count, a restore waits the retry delay, doubled for each
        // action in a row that set the same count (restores that did not hold), up to retry-max.
        Duration delay = policy.retryBackoff().after(Math.max(1, history.decidedTimes()));
        Duration wait = remaining(history.decidedAt(), delay, now);
        if (to >= decided && !wait.isZero()) {
            return new Decision.Hold(current, calc, why + "; the action that set " + decided + " ended "
                    + seconds(Duration.between(history.decidedAt(), now)) + " ago: restoring in " + seconds(wait)
                    + " if they have not started (delay " + seconds(delay) + " after " + history.decidedTimes()
                    + " action(s) in a row set " + decided + "); deciding from " + decided + ": " + fromDecided.reason());
        }
        if (to == current) {
            return new Decision.Hold(current, calc, why + "; deciding from " + decided + ": " + fromDecided.reason());
        }
        String what = to > current ? ": restoring to " + to : ": the load now asks for " + to;
        return withBackoff(policy, history, now, new Decision.Scale(current, to, calc,
                why + what + "; deciding from " + decided + ": " + fromDecided.reason()));
    }

    /** Several metrics: their combined recommendation takes the place of tracking's "after tolerance". */
    private Decision combined(Policy policy, int current, MetricVerdict verdict, DecisionHistory history,
                              Instant now) {
        MetricReading reading = verdict.reading();
        int recommended = verdict.recommendation();
        int stabilized = stabilize(policy, current, recommended, history, now);
        int limited = limit(policy, current, stabilized);
        int desired = policy.clamp(limited);
        Calculation calc = new Calculation(current, reading.state(), reading.value(), recommended, recommended,
                stabilized, limited, desired);
        String numbers = verdict.summary() + "; recommended " + recommended + ", stabilized " + stabilized
                + ", limited " + limited + ", desired " + desired;
        if (desired == current) {
            String why = recommended == current ? "the metrics recommend the " + current + " replicas running"
                    : whyUnchanged(policy, current, recommended, recommended, stabilized, limited, desired);
            return new Decision.Hold(current, calc, why + "; " + numbers);
        }
        if (desired < current && reading.state() == MetricState.DEGRADED) {
            return new Decision.Hold(current, calc, "scale-down blocked: " + reading.detail() + "; " + numbers);
        }
        return cooledDown(policy, current, desired, calc, numbers, history, now);
    }

    private static int limit(Policy policy, int current, int stabilized) {
        int limited = stabilized;
        if (stabilized > current) {
            // compared as differences: "unlimited" is Integer.MAX_VALUE and must not overflow
            limited = current + Math.min(stabilized - current, policy.scaleUpLimit().maxAdded(current));
        } else if (stabilized < current) {
            limited = current - Math.min(current - stabilized, policy.scaleDownLimit().maxRemoved(current));
        }
        return limited;
    }

    private Decision withoutMetric(Policy policy, int current, MetricReading reading, DecisionHistory history,
                                   Instant now) {
        int failures = history.consecutiveMetricFailures() + 1;
        String what = "metric " + reading.state() + (reading.detail().isEmpty() ? "" : " (" + reading.detail() + ")");
        Fallback fallback = policy.fallback();
        if (fallback.enabled() && failures >= fallback.afterFailures()) {
            int desired = Math.max(current, policy.clamp(fallback.replicas()));
            Calculation calc = Calculation.withoutMetric(current, reading, desired);
            if (desired > current) {
                return withBackoff(policy, history, now, new Decision.Scale(current, desired, calc, String.format(
                        Locale.ROOT, "%s for %d readings in a row: fallback to %d replicas", what, failures, desired)));
            }
            return new Decision.Hold(current, calc, String.format(Locale.ROOT,
                    "%s for %d readings in a row: fallback %d is not above the %d running, holding",
                    what, failures, fallback.replicas(), current));
        }
        return new Decision.Hold(current, Calculation.withoutMetric(current, reading, current),
                what + ": no usable load, holding at " + current);
    }

    private Decision tracking(Policy policy, int current, MetricReading reading, DecisionHistory history, Instant now,
                              Prediction prediction) {
        double load = reading.value();
        double capacity = policy.capacityPerReplica();
        int raw = (int) Math.min(Integer.MAX_VALUE, Math.ceil(load / capacity - EPSILON));
        raw = Math.max(raw, 0);

        boolean withinTolerance = false;
        if (current > 0) {
            double usage = load / (current * capacity);
            withinTolerance = Math.abs(usage - 1.0) <= policy.tolerance() + EPSILON;
        }
        int afterTolerance = withinTolerance ? current : raw;
        String ahead = "";
        boolean forecastRaised = false;
        if (prediction != null) {
            Forecast f = prediction.forecast();
            if (f == null || !f.usable()) {
                ahead = "; reactive: " + (f == null ? "no forecast yet" : f.describe());
            } else {
                // a forecast within predictive-tolerance above what the running replicas carry keeps the count
                double carried = capacity * (1 + prediction.tolerance());
                int predicted = (int) Math.min(Integer.MAX_VALUE, Math.max(0, Math.ceil(f.value() / carried - EPSILON)));
                if (predicted > current) {
                    // a scale-up: ask for the batch ahead too, so a long ramp is one larger step, not one per tick
                    predicted = Math.max(predicted, (int) Math.min(Integer.MAX_VALUE,
                            Math.ceil(f.ahead() / capacity - EPSILON)));
                }
                boolean acts = prediction.mode() == ForecastSettings.Mode.ON;
                ahead = "; " + f.describe() + ": " + predicted + " replicas"
                        + (acts ? "" : " (forecast-only: would recommend " + Math.max(afterTolerance, predicted) + ")");
                // the recommendation is the larger of the two and goes through the usual stabilization: a
                // forecast can raise it, never lower it, so scale-in still needs the observed load to fall
                if (acts && predicted > afterTolerance) {
                    afterTolerance = predicted;
                    forecastRaised = true;
                }
            }
        }
        int stabilized = stabilize(policy, current, afterTolerance, history, now);
        int limited = limit(policy, current, stabilized);
        int desired = policy.clamp(limited);
        Calculation calc = new Calculation(current, reading.state(), load, raw, afterTolerance, stabilized, limited, desired);
        // concatenated, not String.format: the backtest runs this once per simulated step, and the
        // format string's parsing was the largest cost of a replay; the text is the same
        String numbers = "load " + number(load) + " / " + number(capacity) + " per replica: raw " + raw
                + ", after tolerance " + afterTolerance + (forecastRaised ? " (raised by the forecast)" : "")
                + ", stabilized " + stabilized + ", limited " + limited
                + ", desired " + desired + ahead;

        if (desired == current) {
            return new Decision.Hold(current, calc, whyUnchanged(policy, current, raw, afterTolerance, stabilized,
                    limited, desired) + "; " + numbers);
        }
        if (desired < current && reading.state() == MetricState.DEGRADED) {
            return new Decision.Hold(current, calc, "metric DEGRADED (" + reading.detail()
                    + "): scale-down blocked on degraded data; " + numbers);
        }
        return cooledDown(policy, current, desired, calc, numbers, history, now);
    }

    /** The cooldowns, then the scale (with backoff): shared by tracking and several metrics. */
    private static Decision cooledDown(Policy policy, int current, int desired, Calculation calc, String numbers,
                                       DecisionHistory history, Instant now) {
        if (desired > current) {
            Duration left = remaining(history.lastScaleUpAt(), policy.scaleUpCooldown(), now);
            if (!left.isZero()) {
                return new Decision.Hold(current, calc, "scale-up cooldown: " + seconds(left)
                        + " remaining after the last scale-up; " + numbers);
            }
        } else {
            Duration left = remaining(latest(history.lastScaleUpAt(), history.lastScaleDownAt()),
                    policy.scaleDownCooldown(), now);
            if (!left.isZero()) {
                return new Decision.Hold(current, calc, "scale-down cooldown: " + seconds(left)
                        + " remaining after the last scale action; " + numbers);
            }
        }
        String direction = desired > current ? "scale up" : "scale down";
        return withBackoff(policy, history, now, new Decision.Scale(current, desired, calc,
                direction + " " + current + " -> " + desired + ": " + numbers));
    }

    /**
     * HPA's stabilization: scaling up acts on the lowest recommendation of the up-window, scaling
     * down on the highest of the down-window, so one spike or one dip does not move the count.
     */
    private static int stabilize(Policy policy, int current, int recommendation, DecisionHistory history, Instant now) {
        Instant upCutoff = now.minus(policy.scaleUpStabilization());
        Instant downCutoff = now.minus(policy.scaleDownStabilization());
        int up = recommendation;
        int down = recommendation;
        for (Recommendation r : history.recommendations()) {
            if (r.at().isAfter(upCutoff) && !r.at().isAfter(now)) {
                up = Math.min(up, r.replicas());
            }
            if (r.at().isAfter(downCutoff) && !r.at().isAfter(now)) {
                down = Math.max(down, r.replicas());
            }
        }
        int stabilized = current;
        if (stabilized < up) {
            stabilized = up;
        }
        if (stabilized > down) {
            stabilized = down;
        }
        return stabilized;
    }

    private static String whyUnchanged(Policy policy, int current, int raw, int afterTolerance, int stabilized,
                                       int limited, int desired) {
        if (raw == current) {
            return "load needs the " + current + " replicas running";
        }
        if (afterTolerance == current) {
            return "within tolerance " + number(policy.tolerance() * 100) + "% of " + current + " replicas";
        }
        if (stabilized == current) {
            return afterTolerance < current
                    ? "scale-down stabilization: a recommendation of " + current + " or more in the last "
                      + seconds(policy.scaleDownStabilization())
                    : "scale-up stabilization: a recommendation of " + current + " or less in the last "
                      + seconds(policy.scaleUpStabilization());
        }
        if (limited != desired) {
            return limited > desired ? "at max-replicas " + policy.maxReplicas() : "at min-replicas " + policy.minReplicas();
        }
        return "no change needed";
    }

    private static Decision withBackoff(Policy policy, DecisionHistory history, Instant now, Decision.Scale scale) {
        if (history.consecutiveActionFailures() == 0 || history.lastActionFailureAt() == null) {
            return scale;
        }
        Duration delay = policy.retryBackoff().after(history.consecutiveActionFailures());
        Instant notBefore = history.lastActionFailureAt().plus(delay);
        if (now.isBefore(notBefore)) {
            return new Decision.RetryLater(scale.from(), scale.to(), notBefore, scale.calculation(), String.format(
                    Locale.ROOT, "wanted %d -> %d, but the last %d action(s) failed: retry in %s (backoff %s); %s",
                    scale.from(), scale.to(), history.consecutiveActionFailures(),
                    seconds(Duration.between(now, notBefore)), seconds(delay), scale.reason()));
        }
        return new Decision.Scale(scale.from(), scale.to(), scale.calculation(), scale.reason()
                + String.format(Locale.ROOT, " (retry after %d failed action(s))", history.consecutiveActionFailures()));
    }

    private static Duration remaining(Instant since, Duration cooldown, Instant now) {
        if (since == null || cooldown.isZero()) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, since.plus(cooldown));
        return left.isNegative() || left.isZero() ? Duration.ZERO : left;
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }

    static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    /** A whole number as is, else three decimals as {@code String.format(Locale.ROOT, "%.3f", v)} writes them. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        // not the formatter itself: the backtest writes this once per simulated step (Decimals)
        return Decimals.fixed(v, 3);
    }
}
