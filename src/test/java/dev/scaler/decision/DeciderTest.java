package dev.scaler.decision;

import dev.scaler.testing.MutableClock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One table of cases, in the manner of Kubernetes' horizontal_test.go: each row states the policy,
 * what runs, the reading and the history, and the expected outcome, count and reason.
 */
class DeciderTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final Policy BASE = Policy.defaults(1, 10, 100);

    enum Kind { SCALE, HOLD, RETRY }

    record Case(String name, Policy policy, Integer observed, MetricReading reading, DecisionHistory history,
                Kind kind, int replicas, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final class Row {
        String name;
        Policy policy = BASE;
        Integer observed = 3;
        MetricReading reading = MetricReading.healthy(300, NOW);
        List<Recommendation> recs = new ArrayList<>();
        Instant lastUp;
        Instant lastDown;
        int metricFailures;
        int actionFailures;
        Instant lastFailure;
        Integer decided;
        Instant decidedAt;
        int decidedTimes;

        Row(String name) {
            this.name = name;
        }

        Row policy(UnaryOperator<PolicyBuilder> change) {
            policy = change.apply(new PolicyBuilder(policy)).build();
            return this;
        }

        Row observed(Integer n) {
            observed = n;
            return this;
        }

        Row load(double v) {
            reading = MetricReading.healthy(v, NOW);
            return this;
        }

        Row reading(MetricReading r) {
            reading = r;
            return this;
        }

        Row rec(int secondsAgo, int replicas) {
            recs.add(new Recommendation(NOW.minusSeconds(secondsAgo), replicas));
            return this;
        }

        Row lastUp(long millisAgo) {
            lastUp = NOW.minusMillis(millisAgo);
            return this;
        }

        Row lastDown(long millisAgo) {
            lastDown = NOW.minusMillis(millisAgo);
            return this;
        }

        Row metricFailures(int n) {
            metricFailures = n;
            return this;
        }

        Row actionFailures(int n, int secondsAgo) {
            actionFailures = n;
            lastFailure = NOW.minusSeconds(secondsAgo);
            return this;
        }

        Row decided(int n) {
            decided = n;
            decidedTimes = 1;
            return this;
        }

        Row decided(int n, long millisAgo) {
            return decided(n, millisAgo, 1);
        }

        Row decided(int n, long millisAgo, int times) {
            decided = n;
            decidedAt = NOW.minusMillis(millisAgo);
            decidedTimes = times;
            return this;
        }

        Case expect(Kind kind, int replicas, String reason) {
            return new Case(name, policy, observed, reading,
                    new DecisionHistory(recs, lastUp, lastDown, metricFailures, actionFailures, lastFailure, decided, decidedAt, decidedTimes),
                    kind, replicas, reason);
        }
    }

    static Row row(String name) {
        return new Row(name);
    }

    static Stream<Case> cases() {
        return Stream.of(
                // observation and range
                row("unknown replicas hold").observed(null).load(900).expect(Kind.HOLD, -1, "unknown"),
                row("above max is corrected").observed(12).load(300).expect(Kind.SCALE, 10, "outside [1, 10]"),
                row("below min is corrected").observed(0).load(0).expect(Kind.SCALE, 1, "outside [1, 10]"),
                row("below min is corrected without metrics").observed(0)
                        .reading(MetricReading.failed(MetricState.UNREACHABLE, "refused")).expect(Kind.SCALE, 1, "outside"),
                row("above max is corrected during cooldown").observed(11).lastDown(1000).expect(Kind.SCALE, 10, "outside"),
                // availability: fewer run than the last successful action set
                row("a dead replica is restored").observed(2).decided(3).load(300)
                        .expect(Kind.SCALE, 3, "availability: 2 of the 3 decided replicas run (exited or removed): restoring to 3"),
                row("restoring waits for no scale-up cooldown").observed(2).decided(3).load(300).lastUp(10_000)
                        .expect(Kind.SCALE, 3, "restoring to 3"),
                row("restoring needs no metric").observed(1).decided(3)
                        .reading(MetricReading.failed(MetricState.UNREACHABLE, "refused")).expect(Kind.SCALE, 3, "restoring to 3"),
                row("all replicas gone are restored").observed(0).decided(4).policy(p -> p.min(0)).load(400)
                        .expect(Kind.SCALE, 4, "0 of the 4"),
                row("restoring and the load's scale-up together").observed(2).decided(3).load(500)
                        .expect(Kind.SCALE, 5, "restoring to 5; deciding from 3: scale up 3 -> 5"),
                row("the load's scale-up beyond the decided count waits for its cooldown").observed(2).decided(3).load(500)
                        .lastUp(10_000).expect(Kind.SCALE, 3, "scale-up cooldown"),
                row("a load that needs fewer than still run scales down").observed(2).decided(5).load(100)
                        .expect(Kind.SCALE, 1, "the load now asks for 1"),
                row("a load that needs what still runs holds").observed(2).decided(5).load(200)
                        .expect(Kind.HOLD, 2, "deciding from 5: scale down 5 -> 2"),
                row("scale-down stabilization keeps the decided count").observed(2).decided(5).load(100).rec(100, 5)
                        .expect(Kind.SCALE, 5, "restoring to 5"),
                row("a decided count above max restores to max").observed(8).decided(12).load(1000)
                        .expect(Kind.SCALE, 10, "8 of the 10 decided"),
                row("a restore waits the retry delay after the action that set the count").observed(2).decided(3, 10_000)
                        .load(300).expect(Kind.HOLD, 2, "the action that set 3 ended 10s ago: restoring in 20s"),
                row("a restore that did not hold waits twice as long").observed(2).decided(3, 40_000, 2).load(300)
                        .expect(Kind.HOLD, 2, "restoring in 20s if they have not started (delay 60s after 2 action(s) in a row set 3)"),
                row("restores that never hold wait up to retry-max").observed(2).decided(3, 590_000, 9).load(300)
                        .expect(Kind.HOLD, 2, "restoring in 10s if they have not started (delay 600s"),
                row("below min after an action set the count is a restore and waits too").policy(p -> p.min(2))
                        .observed(0).decided(2, 1_000).load(0).expect(Kind.HOLD, 0, "0 of the 2 decided replicas run"),
                row("a restore after the retry delay").observed(2).decided(3, 30_000).load(300)
                        .expect(Kind.SCALE, 3, "restoring to 3"),
                row("the load's scale-down does not wait for the restore delay").observed(2).decided(5, 1_000).load(100)
                        .expect(Kind.SCALE, 1, "the load now asks for 1"),
                row("more than decided is not a restore").observed(4).decided(3).load(400)
                        .expect(Kind.HOLD, 4, "needs the 4"),
                row("failed restores back off").observed(2).decided(3).load(300).actionFailures(1, 5)
                        .expect(Kind.RETRY, 2, "retry in 25s"),
                row("restoring after the backoff says it retries").observed(2).decided(3).load(300).actionFailures(1, 60)
                        .expect(Kind.SCALE, 3, "retry after 1 failed action"),
                // target tracking
                row("scale up to ceil(load / capacity)").observed(2).load(350).expect(Kind.SCALE, 4, "scale up 2 -> 4"),
                row("exact multiple does not round up").observed(2).load(300).expect(Kind.SCALE, 3, "raw 3"),
                row("fractional load rounds up").observed(2).load(300.5).expect(Kind.SCALE, 4, "raw 4"),
                row("load needs what runs").observed(3).load(290).expect(Kind.HOLD, 3, "needs the 3"),
                row("zero load goes to min").observed(3).load(0).expect(Kind.SCALE, 1, "scale down 3 -> 1"),
                row("min zero allows zero").policy(p -> p.min(0)).observed(2).load(0).expect(Kind.SCALE, 0, "desired 0"),
                row("from zero scales up on any load").policy(p -> p.min(0)).observed(0).load(50).expect(Kind.SCALE, 1, "0 -> 1"),
                row("zero stays zero without load").policy(p -> p.min(0)).observed(0).load(0).expect(Kind.HOLD, 0, "needs the 0"),
                // tolerance band
                row("usage +10% is within tolerance").observed(3).load(330).expect(Kind.HOLD, 3, "within tolerance"),
                row("usage just over +10% scales").observed(3).load(331).expect(Kind.SCALE, 4, "scale up 3 -> 4"),
                row("usage -10% is within tolerance").policy(p -> p.capacity(10)).observed(10).load(90)
                        .expect(Kind.HOLD, 10, "within tolerance"),
                row("usage just under -10% scales").policy(p -> p.capacity(10)).observed(10).load(89)
                        .expect(Kind.SCALE, 9, "scale down 10 -> 9"),
                row("zero tolerance acts on any change").policy(p -> p.tolerance(0).capacity(10)).observed(5).load(51)
                        .expect(Kind.SCALE, 6, "5 -> 6"),
                row("the same change within 10% tolerance holds").policy(p -> p.capacity(10)).observed(5).load(51)
                        .expect(Kind.HOLD, 5, "within tolerance"),
                // metric states
                row("degraded data may scale up").observed(2)
                        .reading(MetricReading.degraded(500, NOW, "partial response")).expect(Kind.SCALE, 5, "scale up"),
                row("degraded data never scales down").observed(5)
                        .reading(MetricReading.degraded(100, NOW, "partial response")).expect(Kind.HOLD, 5, "DEGRADED"),
                // stabilization
                row("scale-down waits for the highest recent recommendation").observed(5).load(200).rec(100, 5)
                        .expect(Kind.HOLD, 5, "scale-down stabilization"),
                row("stabilization window expired").observed(5).load(200).rec(301, 5).expect(Kind.SCALE, 2, "5 -> 2"),
                row("stabilization window edge is exclusive").observed(5).load(200).rec(300, 5).expect(Kind.SCALE, 2, "5 -> 2"),
                row("stabilization acts on the highest in window").observed(5).load(100).rec(200, 4).rec(100, 3)
                        .expect(Kind.SCALE, 4, "stabilized 4"),
                row("stabilization does not slow a scale-up").observed(2).load(500).rec(100, 1).expect(Kind.SCALE, 5, "5"),
                row("scale-up stabilization takes the lowest").policy(p -> p.upStabilization(60)).observed(2).load(500)
                        .rec(30, 3).expect(Kind.SCALE, 3, "stabilized 3"),
                row("scale-up stabilization can hold").policy(p -> p.upStabilization(60)).observed(2).load(500)
                        .rec(30, 2).expect(Kind.HOLD, 2, "scale-up stabilization"),
                row("future recommendations are ignored").observed(5).load(200).rec(-100, 9).expect(Kind.SCALE, 2, "5 -> 2"),
                // cooldowns
                row("scale-up cooldown holds").observed(2).load(500).lastUp(30_000)
                        .expect(Kind.HOLD, 2, "scale-up cooldown: 30s remaining"),
                row("scale-up cooldown 1 ms before its end").observed(2).load(500).lastUp(59_999)
                        .expect(Kind.HOLD, 2, "scale-up cooldown"),
                row("scale-up cooldown over exactly at its end").observed(2).load(500).lastUp(60_000)
                        .expect(Kind.SCALE, 5, "scale up"),
                row("scale-down cooldown after a scale-down").observed(5).load(100).lastDown(100_000)
                        .expect(Kind.HOLD, 5, "scale-down cooldown: 200s remaining"),
                row("scale-down cooldown after a scale-up").observed(5).load(100).lastUp(100_000)
                        .expect(Kind.HOLD, 5, "scale-down cooldown"),
                row("scale-down cooldown over").observed(5).load(100).lastUp(400_000).lastDown(300_000)
                        .expect(Kind.SCALE, 1, "5 -> 1"),
                row("scale-up preempts a running scale-down cooldown").observed(2).load(500).lastDown(10_000)
                        .expect(Kind.SCALE, 5, "scale up"),
                row("zero cooldowns never hold").policy(p -> p.cooldowns(0, 0)).observed(2).load(500).lastUp(1)
                        .expect(Kind.SCALE, 5, "scale up"),
                // step limits
                row("scale-up limited by replicas").policy(p -> p.upLimit(2, 0)).observed(2).load(1000)
                        .expect(Kind.SCALE, 4, "limited 4"),
                row("scale-up limited by percent").policy(p -> p.upLimit(0, 50)).observed(4).load(1000)
                        .expect(Kind.SCALE, 6, "limited 6"),
                row("tighter of two limits wins").policy(p -> p.upLimit(3, 100)).observed(2).load(1000)
                        .expect(Kind.SCALE, 4, "limited 4"),
                row("percent limit never stalls at zero").policy(p -> p.upLimit(0, 10)).observed(1).load(1000)
                        .expect(Kind.SCALE, 2, "limited 2"),
                row("scale-down limited by replicas").policy(p -> p.downLimit(1, 0)).observed(5).load(100)
                        .expect(Kind.SCALE, 4, "limited 4"),
                row("scale-down limited by percent").policy(p -> p.downLimit(0, 50)).observed(5).load(100)
                        .expect(Kind.SCALE, 3, "limited 3"),
                // clamp
                row("clamped to max").observed(9).load(5000).expect(Kind.SCALE, 10, "desired 10"),
                row("at max holds").observed(10).load(5000).expect(Kind.HOLD, 10, "at max-replicas 10"),
                row("at min holds").policy(p -> p.min(2)).observed(2).load(10).expect(Kind.HOLD, 2, "at min-replicas 2"),
                // fallback
                row("fallback off holds forever").observed(3).metricFailures(99)
                        .reading(MetricReading.failed(MetricState.UNREACHABLE, "down")).expect(Kind.HOLD, 3, "UNREACHABLE"),
                row("fallback waits for N failures").policy(p -> p.fallback(3, 6)).observed(3).metricFailures(1)
                        .reading(MetricReading.failed(MetricState.EMPTY, "")).expect(Kind.HOLD, 3, "no usable load"),
                row("fallback after N failures").policy(p -> p.fallback(3, 6)).observed(3).metricFailures(2)
                        .reading(MetricReading.failed(MetricState.EMPTY, "")).expect(Kind.SCALE, 6, "fallback to 6"),
                row("fallback never scales down").policy(p -> p.fallback(3, 6)).observed(8).metricFailures(5)
                        .reading(MetricReading.failed(MetricState.STALE, "age 10m")).expect(Kind.HOLD, 8, "not above"),
                // retry backoff
                row("failed action backs off").observed(2).load(500).actionFailures(1, 10)
                        .expect(Kind.RETRY, 2, "retry in 20s (backoff 30s)"),
                row("backoff doubles").observed(2).load(500).actionFailures(2, 40)
                        .expect(Kind.RETRY, 2, "retry in 20s (backoff 60s)"),
                row("backoff over retries").observed(2).load(500).actionFailures(2, 60)
                        .expect(Kind.SCALE, 5, "retry after 2 failed"),
                row("backoff is capped").observed(2).load(500).actionFailures(30, 599)
                        .expect(Kind.RETRY, 2, "backoff 600s"),
                row("backoff applies to range correction").observed(12).actionFailures(1, 1)
                        .expect(Kind.RETRY, 12, "outside"),
                row("backoff does not block a hold").observed(3).load(300).actionFailures(1, 1)
                        .expect(Kind.HOLD, 3, "needs")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(Case c) {
        Decider decider = new Decider(Clock.fixed(NOW, ZoneOffset.UTC));
        OptionalInt observed = c.observed() == null ? OptionalInt.empty() : OptionalInt.of(c.observed());

        Decision d = decider.decide(c.policy(), observed, c.reading(), c.history());

        Kind kind = d instanceof Decision.Scale ? Kind.SCALE : d instanceof Decision.Hold ? Kind.HOLD : Kind.RETRY;
        assertThat(kind).as("outcome of %s: %s", c.name(), d.reason()).isEqualTo(c.kind());
        assertThat(d.targetReplicas()).as("replicas of %s: %s", c.name(), d.reason()).isEqualTo(c.replicas());
        assertThat(d.reason()).as(c.name()).contains(c.reason());
    }

    @ParameterizedTest
    @EnumSource(value = MetricState.class, mode = EnumSource.Mode.EXCLUDE, names = {"HEALTHY", "DEGRADED"})
    void everyFailedStateHoldsAndNeverReadsAsZero(MetricState state) {
        Decider decider = new Decider(Clock.fixed(NOW, ZoneOffset.UTC));

        Decision d = decider.decide(BASE, OptionalInt.of(5), MetricReading.failed(state, "detail"), DecisionHistory.EMPTY);

        assertThat(d).isInstanceOf(Decision.Hold.class);
        assertThat(d.targetReplicas()).isEqualTo(5);
        assertThat(d.reason()).contains(state.name()).contains("detail");
        assertThat(d.recommendation()).as("no recommendation without data").isNull();
    }

    @Test
    void fewerCountedThanDecidedSaysWhyWhenTheCallerKnows() {
        Row row = row("a fleet host not counted").observed(2).decided(3).load(300);
        DecisionHistory history = row.expect(Kind.SCALE, 3, "").history();
        Decider decider = new Decider(Clock.fixed(NOW, ZoneOffset.UTC));
        MetricVerdict verdict = MetricVerdict.single(MetricReading.healthy(300, NOW));

        Decision told = decider.decide(BASE, OptionalInt.of(2), verdict, history,
                "h3 unreachable (host key changed), its share not counted");
        Decision plain = decider.decide(BASE, OptionalInt.of(2), verdict, history);

        assertThat(told.reason()).startsWith("availability: 2 of the 3 decided replicas run (h3 unreachable (host key"
                + " changed), its share not counted): restoring to 3").doesNotContain("exited or removed");
        assertThat(plain.reason()).startsWith("availability: 2 of the 3 decided replicas run (exited or removed)");
        assertThat(told.targetReplicas()).isEqualTo(plain.targetReplicas()).isEqualTo(3);
    }

    @Test
    void everyComputedDecisionCarriesEachIntermediateNumber() {
        Policy policy = new PolicyBuilder(BASE).upLimit(1, 0).build();
        Decision d = new Decider(Clock.fixed(NOW, ZoneOffset.UTC))
                .decide(policy, OptionalInt.of(2), MetricReading.healthy(450, NOW), DecisionHistory.EMPTY);

        assertThat(d.calculation()).isEqualTo(new Calculation(2, MetricState.HEALTHY, 450, 5, 5, 5, 3, 3));
        assertThat(d.recommendation()).isEqualTo(5);
        assertThat(d.reason()).isEqualTo(
                "scale up 2 -> 3: load 450 / 100 per replica: raw 5, after tolerance 5, stabilized 5, limited 3, desired 3");
    }

    /**
     * A restart rebuilds the history from the store; the same history must give the same decision as
     * the process that never stopped. Driven by a moving clock over a noisy load, like a live loop.
     */
    @Test
    void noisyLoadDoesNotFlapAndARestartChangesNothing() {
        Policy policy = BASE;
        MutableClock clock = new MutableClock(NOW);
        Decider decider = new Decider(clock);
        List<Recommendation> recs = new ArrayList<>();
        Instant lastUp = null;
        Instant lastDown = null;
        int replicas = 4;
        int changes = 0;
        double[] noisy = {460, 440, 150, 470, 450, 160, 455, 170, 445, 450, 140, 460};
        for (int tick = 0; tick < 120; tick++) {
            clock.advance(Duration.ofSeconds(15));
            DecisionHistory history = new DecisionHistory(recs, lastUp, lastDown, 0, 0, null, null, null, 0);
            MetricReading reading = MetricReading.healthy(noisy[tick % noisy.length], clock.instant());
            Decision d = decider.decide(policy, OptionalInt.of(replicas), reading, history);
            Decision afterRestart = new Decider(clock).decide(policy, OptionalInt.of(replicas), reading,
                    new DecisionHistory(List.copyOf(recs), lastUp, lastDown, 0, 0, null, null, null, 0));
            assertThat(afterRestart).isEqualTo(d);
            if (d.recommendation() != null) {
                recs.add(new Recommendation(clock.instant(), d.recommendation()));
            }
            if (d instanceof Decision.Scale s) {
                changes++;
                replicas = s.to();
                if (s.up()) {
                    lastUp = clock.instant();
                } else {
                    lastDown = clock.instant();
                }
            }
        }
        assertThat(replicas).as("dips to 150 every few ticks must not scale the 450 load down").isEqualTo(5);
        assertThat(changes).isEqualTo(1);
    }

    /** The reasons' numbers read as String.format's "%.3f" did, on the values a replay and the tick see. */
    @Test
    void numbersInReasonsReadAsFormatWrites() {
        java.util.Random random = new java.util.Random(11);
        List<Double> values = new ArrayList<>(List.of(0.0005, 0.0015, 1.0005, 2.4995, 1e-9, 0.1 + 0.2, 1e15 + 0.5,
                123456789.0125, 1e300, Double.MIN_VALUE, -0.0004, -2.5, Double.NaN, Double.POSITIVE_INFINITY));
        for (int i = 0; i < 20_000; i++) {
            values.add(random.nextInt(300_000) / 60.0);                          // WorldCup98: per minute / 60
            values.add((random.nextInt(2_000_000) + 0.5) / 1000.0);              // a tie at the fourth decimal
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(24) - 8));
        }
        for (double v : values) {
            String expected = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                    : String.format(java.util.Locale.ROOT, "%.3f", v);
            assertThat(Decider.number(v)).as("%s", v).isEqualTo(expected);
        }
    }
}
