package dev.scaler.policy;

import dev.scaler.decision.Decider;
import dev.scaler.decision.Decision;
import dev.scaler.decision.DecisionHistory;
import dev.scaler.decision.MetricReading;
import dev.scaler.decision.Policy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** What the labels do to a real decision: the reason says so; a disabled target holds. */
class LabelDecisionTest {

    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    final Decider decider = new Decider(clock);
    final Policy file = Policy.defaults(1, 6, 10);

    Decision decide(Map<String, String> labels, double load) {
        LabelOverrides.Effective e = LabelOverrides.apply(file, labels);
        return e.apply(decider.decide(e.policy(), OptionalInt.of(1), MetricReading.healthy(load, clock.instant()),
                DecisionHistory.EMPTY));
    }

    @Test
    void aLabelMaxCapsTheScaleAndTheReasonSaysSo() {
        Decision d = decide(Map.of("scaler.max", "2"), 50);
        assertThat(d).isInstanceOf(Decision.Scale.class);
        assertThat(d.targetReplicas()).isEqualTo(2);
        assertThat(d.reason()).contains("labels: max-replicas=2 (scaler.max)");
    }

    @Test
    void enableFalseHoldsAndSaysWhatWouldHaveHappened() {
        Decision d = decide(Map.of("scaler.enable", "false"), 50);
        assertThat(d).isInstanceOf(Decision.Hold.class);
        assertThat(d.targetReplicas()).isEqualTo(1);
        assertThat(d.reason()).startsWith("not scaled: label scaler.enable=false; would ");
    }

    @Test
    void aBadLabelIsInTheReason() {
        Decision d = decide(Map.of("scaler.max", "two"), 50);
        assertThat(d.targetReplicas()).isEqualTo(5);
        assertThat(d.reason()).contains("label problems: scaler.max='two' is not a whole number; keeping max-replicas=6");
    }
}
