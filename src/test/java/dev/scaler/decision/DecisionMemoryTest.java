package dev.scaler.decision;

import dev.scaler.decision.DecisionMemory.ActionResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules that turn past decisions and actions into the decider's memory, shared by store and backtest. */
class DecisionMemoryTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void nothingRememberedIsTheEmptyHistory() {
        assertThat(new DecisionMemory().history(Duration.ofMinutes(5), T0)).isEqualTo(DecisionHistory.EMPTY);
    }

    @Test
    void recommendationsAreKeptFromTheWindowStartOnAndNullsAreNone() {
        DecisionMemory m = new DecisionMemory();
        m.decision(at(0), 3, MetricState.HEALTHY);
        m.decision(at(60), null, MetricState.EMPTY);
        m.decision(at(120), 5, MetricState.HEALTHY);
        assertThat(m.history(Duration.ofSeconds(120), at(120)).recommendations())
                .containsExactly(new Recommendation(at(0), 3), new Recommendation(at(120), 5));
        // the window start is inclusive; what falls out of it is forgotten (time only moves forward)
        assertThat(m.history(Duration.ofSeconds(60), at(120)).recommendations())
                .containsExactly(new Recommendation(at(120), 5));
        assertThat(m.history(Duration.ofSeconds(120), at(120)).recommendations())
                .containsExactly(new Recommendation(at(120), 5));
    }

    @Test
    void failedReadingsCountUntilAUsableOne() {
        DecisionMemory m = new DecisionMemory();
        m.reading(MetricState.UNREACHABLE);
        m.reading(MetricState.STALE);
        assertThat(m.history(Duration.ZERO, T0).consecutiveMetricFailures()).isEqualTo(2);
        m.reading(MetricState.DEGRADED);
        assertThat(m.history(Duration.ZERO, T0).consecutiveMetricFailures()).isZero();
    }

    @Test
    void cooldownsStartAtTheNewestSuccessOrDryRunOfEachDirectionNotAtAFailure() {
        DecisionMemory m = new DecisionMemory();
        m.action(at(10), 2, 4, ActionResult.SUCCEEDED);
        m.action(at(20), 4, 3, ActionResult.DRY_RUN);
        m.action(at(30), 3, 6, ActionResult.FAILED);
        m.action(at(40), 3, 2, ActionResult.TIMED_OUT);
        DecisionHistory h = m.history(Duration.ZERO, at(50));
        assertThat(h.lastScaleUpAt()).isEqualTo(at(10));
        assertThat(h.lastScaleDownAt()).isEqualTo(at(20));
    }

    @Test
    void actionFailuresRunUntilASuccessAndDryRunsNeitherCountNorBreakTheRun() {
        DecisionMemory m = new DecisionMemory();
        m.action(at(10), 2, 4, ActionResult.FAILED);
        m.action(at(20), 2, 4, ActionResult.DRY_RUN);
        m.action(at(30), 2, 4, ActionResult.TIMED_OUT);
        DecisionHistory h = m.history(Duration.ZERO, at(40));
        assertThat(h.consecutiveActionFailures()).isEqualTo(2);
        assertThat(h.lastActionFailureAt()).isEqualTo(at(30));
        m.action(at(50), 2, 4, ActionResult.SUCCEEDED);
        h = m.history(Duration.ZERO, at(60));
        assertThat(h.consecutiveActionFailures()).isZero();
        assertThat(h.lastActionFailureAt()).isNull();
    }
}
