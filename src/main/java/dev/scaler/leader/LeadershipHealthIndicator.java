package dev.scaler.leader;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * {@code /health}'s {@code leadership} component: always UP, a standby included, so no orchestrator restarts an
 * instance for standing by. Its details (role, instance, leader, leaderUrl, since, failovers) show only with the
 * API's credentials, as every detail (api.HealthDetailsAggregator).
 */
@Singleton
public class LeadershipHealthIndicator implements HealthIndicator {

    private final Leadership leadership;

    public LeadershipHealthIndicator(Leadership leadership) {
        this.leadership = leadership;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder("leadership", HealthStatus.UP).details(leadership.view()).build());
    }
}
