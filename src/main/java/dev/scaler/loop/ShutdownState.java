package dev.scaler.loop;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.core.async.publisher.Publishers;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Readiness: DOWN from the first moment of shutdown, while the playbooks in flight finish, so a load
 * balancer or an orchestrator stops sending writes (manual scales, alerts) before Scaler refuses them.
 */
@Singleton
@Readiness
public class ShutdownState implements HealthIndicator {

    private final AtomicReference<Instant> since = new AtomicReference<>();

    /** True for the call that began the shutdown, false for any later one. */
    boolean begin(Instant now) {
        return since.compareAndSet(null, now);
    }

    public boolean stopping() {
        return since.get() != null;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Instant s = since.get();
        return Publishers.just(HealthResult.builder("shutdown", s == null ? HealthStatus.UP : HealthStatus.DOWN)
                .details(s == null ? Map.of("stopping", false) : Map.of("stopping", true, "since", s.toString()))
                .build());
    }
}
