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

    public LoopMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void tick(String target, Duration duration) {
        Counter.builder("scaler.ticks").description("Evaluations of a target").tag("target", target)
                .register(registry).increment();
        Timer.builder("scaler.tick.duration").description("Time to evaluate a target, action included")
                .tag("target", target).register(registry).record(duration);
    }

    void skippedTick(String target) {
        Counter.builder("scaler.ticks.skipped").description("Ticks skipped because the previous one still ran")
                .tag("target", target).register(registry).increment();
    }

    void decision(String target, String outcome) {
        Counter.builder("scaler.decisions").description("Decisions by outcome")
                .tag("target", target).tag("outcome", outcome).register(registry).increment();
    }

    void action(String target, String result) {
        Counter.builder("scaler.actions").description("Scale actions by result")
                .tag("target", target).tag("result", result).register(registry).increment();
    }

    void state(String target, MetricState state, Integer observed, Integer desired) {
        for (MetricState s : MetricState.values()) {
            gauge("scaler.metric.state", target, "state", s.name().toLowerCase(), "1 for the state of the last reading")
                    .set(s == state ? 1 : 0);
        }
        if (observed != null) {
            gauge("scaler.replicas", target, "kind", "observed", "Replicas observed and desired").set(observed);
        }
        if (desired != null) {
            gauge("scaler.replicas", target, "kind", "desired", "Replicas observed and desired").set(desired);
        }
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
