package dev.scaler.loop;

import dev.scaler.ScalerConfiguration;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import io.micronaut.core.async.publisher.Publishers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** DOWN when no evaluation completed for three poll intervals: the loop is stuck or dead. */
@Singleton
public class LoopHealthIndicator implements HealthIndicator {

    private final StatusBoard board;
    private final Clock clock;
    private final Duration limit;
    private final Instant startedAt;

    private final dev.scaler.leader.Leadership leadership;

    public LoopHealthIndicator(StatusBoard board, Clock clock, ScalerConfiguration configuration,
                               dev.scaler.leader.Leadership leadership) {
        this.leadership = leadership;
        this.board = board;
        this.clock = clock;
        this.limit = configuration.pollInterval().multipliedBy(3);
        this.startedAt = clock.instant();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Instant now = clock.instant();
        Instant last = board.lastCompletion().orElse(null);
        if (!leadership.leading()) {
            // a standby evaluates nothing by design; it must not be restarted for that (docs/ha.md)
            return Publishers.just(HealthResult.builder("scalingLoop", HealthStatus.UP)
                    .details(Map.of("standby", "evaluations run on the leader")).build());
        }
        Instant reference = last == null ? startedAt : last;
        Instant leading = leadership.single() ? null : leadership.leadingSince();
        if (leading != null && leading.isAfter(reference)) {
            reference = leading;
        }
        boolean up = Duration.between(reference, now).compareTo(limit) <= 0;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lastCompletedTick", last == null ? "none yet" : last.toString());
        details.put("limit", limit.toString());
        return Publishers.just(HealthResult.builder("scalingLoop", up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
