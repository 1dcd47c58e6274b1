package dev.scaler.loop;

import dev.scaler.decision.MetricState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The scaler's own metrics, exported on /prometheus. */
@Singleton
public class LoopMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> doubles = new ConcurrentHashMap<>();
    /**
     * The meters every evaluation updates, per target, found once: a builder's {@code register} makes a meter id
     * and looks it up on every call, a noticeable share of a tick over a thousand targets.
     */
    private final Map<String, TargetMeters> perTarget = new ConcurrentHashMap<>();

    /** A target's tick meters, its decision and action counters by outcome and its state gauges. */
    private final class TargetMeters {
        final Counter ticks;
        final Timer duration;
        final Map<String, Counter> decisions = new ConcurrentHashMap<>();
        final Map<String, Counter> actions = new ConcurrentHashMap<>();
        final AtomicInteger[] states = new AtomicInteger[MetricState.values().length];
        private final String target;
        /** Registered at the first known value, so an unknown count is absent rather than 0. */
        private volatile AtomicInteger observed;
        private volatile AtomicInteger desired;

        TargetMeters(String target) {
            this.target = target;
            ticks = Counter.builder("scaler.ticks").description("Evaluations of a target").tag("target", target)
                    .register(registry);
            duration = Timer.builder("scaler.tick.duration").description("Time to evaluate a target, action included")
                    .tag("target", target).register(registry);
            for (MetricState s : MetricState.values()) {
                states[s.ordinal()] = gauge("scaler.metric.state", target, "state", s.name().toLowerCase(),
                        "1 for the state of the last reading");
            }
        }

        // a race registers nothing twice: gauge() hands out one value per name and tags
        AtomicInteger observed() {
            AtomicInteger value = observed;
            if (value == null) {
                observed = value = gauge("scaler.replicas", target, "kind", "observed", "Replicas observed and desired");
            }
            return value;
        }

        AtomicInteger desired() {
            AtomicInteger value = desired;
            if (value == null) {
                desired = value = gauge("scaler.replicas", target, "kind", "desired", "Replicas observed and desired");
            }
            return value;
        }

        Counter decision(String outcome) {
            return decisions.computeIfAbsent(outcome, o -> Counter.builder("scaler.decisions")
                    .description("Decisions by outcome").tag("target", target).tag("outcome", o).register(registry));
        }

        Counter action(String result) {
            return actions.computeIfAbsent(result, r -> Counter.builder("scaler.actions")
                    .description("Scale actions by result").tag("target", target).tag("result", r).register(registry));
        }
    }

    public LoopMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void tick(String target, Duration duration) {
        TargetMeters meters = of(target);
        meters.ticks.increment();
        meters.duration.record(duration);
    }

    void skippedTick(String target) {
        Counter.builder("scaler.ticks.skipped").description("Ticks skipped because the previous one still ran")
                .tag("target", target).register(registry).increment();
    }

    void decision(String target, String outcome) {
        of(target).decision(outcome).increment();
    }

    void action(String target, String result) {
        of(target).action(result).increment();
    }

    void state(String target, MetricState state, Integer observed, Integer desired) {
        TargetMeters meters = of(target);
        for (MetricState s : MetricState.values()) {
            meters.states[s.ordinal()].set(s == state ? 1 : 0);
        }
        if (observed != null) {
            meters.observed().set(observed);
        }
        if (desired != null) {
            meters.desired().set(desired);
        }
    }

    /**
     * A forecasting target's forecast (NaN when there is none) and the relative error of its recent forecasts
     * against what then came (NaN until enough were judged): {@code scaler_forecast_value},
     * {@code scaler_forecast_error_ratio}. Registered at a target's first forecast, so a reactive target has none.
     */
    void forecast(String target, double value, double errorRatio) {
        doubleGauge("scaler.forecast.value", target, "The load forecast over the horizon, margin included")
                .set(Double.doubleToLongBits(value));
        doubleGauge("scaler.forecast.error.ratio", target,
                "Relative error of the recent forecasts against the load that then came")
                .set(Double.doubleToLongBits(errorRatio));
    }

    private java.util.concurrent.atomic.AtomicLong doubleGauge(String name, String target, String description) {
        return doubles.computeIfAbsent(name + "|" + target, k -> {
            java.util.concurrent.atomic.AtomicLong bits = new java.util.concurrent.atomic.AtomicLong(
                    Double.doubleToLongBits(Double.NaN));
            Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get())).description(description)
                    .tag("target", target).register(registry);
            return bits;
        });
    }

    private TargetMeters of(String target) {
        TargetMeters meters = perTarget.get(target);
        return meters != null ? meters : perTarget.computeIfAbsent(target, TargetMeters::new);
    }

    private AtomicInteger gauge(String name, String target, String tagKey, String tagValue, String description) {
        return gauges.computeIfAbsent(name + "|" + target + "|" + tagKey + "|" + tagValue, k -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(name, value, AtomicInteger::get).description(description)
                    .tag("target", target).tag(tagKey, tagValue).register(registry);
            return value;
        });
    }
}
