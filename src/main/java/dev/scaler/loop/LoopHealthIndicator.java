package dev.scaler.loop;

import dev.scaler.ScalerConfiguration;
import dev.scaler.execution.AnsibleRunner;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.leader.Leadership;
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

/**
 * DOWN when no evaluation completed for three poll intervals: the loop is stuck or dead. While a playbook runs the
 * tick waits for it, so the bound is then the run's own timeout (after which the watchdog kills it) plus one poll
 * interval: an orchestrator that replaces unhealthy containers (swarm does) must not kill a Scaler in the middle
 * of a slow but healthy scale, which would leave the run INTERRUPTED.
 */
@Singleton
public class LoopHealthIndicator implements HealthIndicator {

    private final StatusBoard board;
    private final Clock clock;
    private final Duration limit;
    private final Duration limitWhileRunning;
    private final Instant startedAt;
    private final Leadership leadership;
    private final AnsibleRunner runner;

    public LoopHealthIndicator(StatusBoard board, Clock clock, ScalerConfiguration configuration,
                               ExecutionConfiguration execution, Leadership leadership, AnsibleRunner runner) {
        this.leadership = leadership;
        this.board = board;
        this.clock = clock;
        this.runner = runner;
        this.limit = configuration.pollInterval().multipliedBy(3);
        Duration whileRunning = execution.timeout().plus(configuration.pollInterval());
        this.limitWhileRunning = whileRunning.compareTo(limit) > 0 ? whileRunning : limit;
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
        int running = runner.activeRuns();
        Duration bound = running > 0 ? limitWhileRunning : limit;
        boolean up = Duration.between(reference, now).compareTo(bound) <= 0;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lastCompletedTick", last == null ? "none yet" : last.toString());
        details.put("limit", bound.toString());
        details.put("playbooksRunning", running);
        return Publishers.just(HealthResult.builder("scalingLoop", up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
