package dev.scaler.bench;

import dev.scaler.decision.Decider;
import dev.scaler.decision.Decision;
import dev.scaler.decision.DecisionHistory;
import dev.scaler.decision.MetricReading;
import dev.scaler.decision.Policy;
import dev.scaler.decision.Recommendation;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Decisions per second of the pure decider, with a full 5-minute stabilization window of
 * recommendations (20 at a 15 s poll interval) to scan each time. Prints figures; asserts nothing.
 */
class DecisionBenchmark {

    @Test
    void decisionThroughput() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Decider decider = new Decider(Clock.fixed(now, ZoneOffset.UTC));
        Policy policy = Policy.defaults(1, 50, 100);
        List<Recommendation> recs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            recs.add(new Recommendation(now.minusSeconds(15L * i), 5 + i % 7));
        }
        DecisionHistory history = new DecisionHistory(recs, now.minusSeconds(600), now.minusSeconds(900), 0, 0, null, null, null, 0);
        MetricReading[] readings = new MetricReading[64];
        for (int i = 0; i < readings.length; i++) {
            readings[i] = MetricReading.healthy(100 + i * 37.5, now);
        }
        int n = 2_000_000;
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            sink += run(decider, policy, history, readings, n / 4);
        }
        double best = 0;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            sink += run(decider, policy, history, readings, n);
            double perSecond = n / ((System.nanoTime() - start) / 1e9);
            best = Math.max(best, perSecond);
            System.out.printf("BENCH decision round %d: %.0f decisions/s%n", round + 1, perSecond);
        }
        System.out.printf("BENCH decision best: %.0f decisions/s (%.2f us per decision) [sink %d]%n",
                best, 1e6 / best, sink);
    }

    private static long run(Decider decider, Policy policy, DecisionHistory history, MetricReading[] readings, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            Decision d = decider.decide(policy, OptionalInt.of(5 + (i & 7)), readings[i & 63], history);
            sum += d.targetReplicas();
        }
        return sum;
    }
}
