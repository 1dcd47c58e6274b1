package dev.scaler.backtest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The simulated world around the decider: start delay, what is paid for, sampling, missing data. */
class ReplayTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** Reacts at once in both directions, so each step's decision is easy to follow by hand. */
    private static final NamedPolicy IMMEDIATE = PolicyFile.parse("immediate.yml", "immediate", """
            min-replicas: 1
            max-replicas: 10
            capacity-per-replica: 100
            tolerance: 0
            scale-up-cooldown: 0s
            scale-down-cooldown: 0s
            scale-down-stabilization: 0s
            """).get(0);

    private static LoadTrace minutes(double... values) {
        return new LoadTrace("test", START, Duration.ofMinutes(1), values);
    }

    @Test
    void addedReplicasServeOnlyAfterTheStartDelayButArePaidForAtOnce() {
        ReplayResult r = Replay.run(minutes(100, 300, 300, 300, 100, 100), IMMEDIATE,
                new ReplaySettings(100, Duration.ofMinutes(2), null, null));
        // t1 scales 1 -> 3, the two new replicas serve from t3; t4 scales 3 -> 1
        assertThat(r.demand()).containsExactly(1, 3, 3, 3, 1, 1);
        assertThat(r.running()).containsExactly(1, 3, 3, 3, 1, 1);
        assertThat(r.supply()).containsExactly(1, 1, 1, 3, 1, 1);
        assertThat(r.actions()).extracting(Replay.ScaleAction::to).containsExactly(3, 1);
        assertThat(r.replicaHours()).isCloseTo(12 / 60.0, within(1e-9));
        ReplayResult.Score score = r.score();
        assertThat(score.scaleUps()).isEqualTo(1);
        assertThat(score.scaleDowns()).isEqualTo(1);
        // under at t1 and t2 by 2 of 3 each: 100 * (2/3 + 2/3) / 6
        assertThat(score.metrics().underAccuracy()).isCloseTo(100 * (4 / 3.0) / 6, within(1e-9));
    }

    @Test
    void withoutAStartDelayAScaleUpServesInTheSameStep() {
        ReplayResult r = Replay.run(minutes(100, 300, 300), IMMEDIATE, new ReplaySettings(100, Duration.ZERO, null, null));
        assertThat(r.supply()).containsExactly(1, 3, 3);
    }

    @Test
    void aScaleDownRemovesReplicasStillStartingFirst() {
        ReplayResult r = Replay.run(minutes(100, 500, 200, 200), IMMEDIATE,
                new ReplaySettings(100, Duration.ofMinutes(5), null, null));
        // t1: 1 -> 5, four starting; t2: 5 -> 2 drops three of the starting ones; one still starts until t6
        assertThat(r.running()).containsExactly(1, 5, 2, 2);
        assertThat(r.supply()).containsExactly(1, 1, 1, 1);
    }

    @Test
    void theRealCapacityMayDifferFromThePolicysTarget() {
        // the policy aims at 100 per replica; a replica really carries 150
        ReplayResult r = Replay.run(minutes(300), IMMEDIATE, new ReplaySettings(150, Duration.ZERO, null, 1));
        assertThat(r.running()).containsExactly(3);
        assertThat(r.demand()).containsExactly(2);
    }

    @Test
    void aLongerIntervalAveragesTheStepsItCoversAndAShorterOneHoldsTheValue() {
        LoadTrace quarter = new LoadTrace("q", START, Duration.ofSeconds(15), new double[] {100, 300, 200, Double.NaN});
        ReplayResult longer = Replay.run(quarter, IMMEDIATE,
                new ReplaySettings(100, Duration.ZERO, Duration.ofSeconds(30), null));
        assertThat(longer.load()).containsExactly(200, 200);
        assertThat(longer.at(1)).isEqualTo(START.plusSeconds(30));

        ReplayResult shorter = Replay.run(minutes(100, 200), IMMEDIATE,
                new ReplaySettings(100, Duration.ZERO, Duration.ofSeconds(30), null));
        assertThat(shorter.load()).containsExactly(100, 100, 200, 200);
    }

    @Test
    void aMissingSampleHoldsAndKeepsTheLastKnownDemand() {
        ReplayResult r = Replay.run(minutes(300, Double.NaN, Double.NaN), IMMEDIATE,
                new ReplaySettings(100, Duration.ZERO, null, null));
        assertThat(r.running()).containsExactly(3, 3, 3);
        assertThat(r.demand()).containsExactly(3, 3, 3);
        assertThat(r.actions()).hasSize(1);
    }

    @Test
    void aTraceShorterThanOneIntervalIsRefused() {
        assertThatThrownBy(() -> Replay.run(minutes(1), IMMEDIATE,
                new ReplaySettings(100, Duration.ZERO, Duration.ofMinutes(5), null)))
                .isInstanceOf(BacktestInputException.class).hasMessageContaining("less than one decision interval");
    }

    @Test
    void badSettingsNameTheOption() {
        assertThatThrownBy(() -> new ReplaySettings(0, Duration.ZERO, null, null)).hasMessageStartingWith("--capacity");
        assertThatThrownBy(() -> new ReplaySettings(1, Duration.ofSeconds(-1), null, null))
                .hasMessageStartingWith("--start-delay");
    }
}
