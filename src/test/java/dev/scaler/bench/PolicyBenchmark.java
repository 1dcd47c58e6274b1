package dev.scaler.bench;

import dev.scaler.decision.Backoff;
import dev.scaler.decision.Decider;
import dev.scaler.decision.DecisionHistory;
import dev.scaler.decision.Fallback;
import dev.scaler.decision.MetricInput;
import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricRule;
import dev.scaler.decision.MetricVerdict;
import dev.scaler.decision.Policy;
import dev.scaler.decision.RangeReading;
import dev.scaler.decision.StepLimit;
import dev.scaler.policy.PolicyReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * What many targets and several metrics cost: reading and validating a policy file of 1,000 targets (what
 * a reload does before it swaps), and one decision on three metrics, one of them a band judged on 5 minutes
 * of 15 s samples. Prints figures; asserts nothing.
 */
class PolicyBenchmark {

    static final int TARGETS = 1000;

    @Test
    void policyFileOfAThousandTargets() {
        StringBuilder yaml = new StringBuilder("targets:\n");
        for (int i = 0; i < TARGETS; i++) {
            yaml.append("  web-").append(i).append(":\n")
                    .append("    compose-project: shop").append(i % 20).append('\n')
                    .append("    query: sum(rate(http_requests_total{job=\"web-").append(i).append("\"}[1m]))\n")
                    .append("    max-replicas: ").append(2 + i % 30).append('\n')
                    .append("    capacity-per-replica: 50\n")
                    .append("    scale-down-cooldown: 2m\n")
                    .append("    metrics:\n")
                    .append("      - name: latency\n")
                    .append("        query: histogram_quantile(0.95, sum by (le) (rate(latency_bucket{job=\"web-")
                    .append(i).append("\"}[1m])))\n")
                    .append("        out-threshold: 0.5\n        out-duration: 2m\n")
                    .append("        in-threshold: 0.2\n        in-duration: 5m\n        step-out: 2\n");
        }
        String text = yaml.toString();
        Path inventory = Path.of("inventories/local/hosts.yml");
        for (int i = 0; i < 5; i++) {
            PolicyReader.parse("bench.yml", text, inventory);
        }
        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            long start = System.nanoTime();
            PolicyReader.Result r = PolicyReader.parse("bench.yml", text, inventory);
            millis.add((System.nanoTime() - start) / 1_000_000);
            if (!r.valid() || r.targets().size() != TARGETS) {
                throw new IllegalStateException("the generated file must be valid: " + r.errors());
            }
        }
        millis.sort(null);
        System.out.printf("BENCH policy file: %d targets, %d KiB: read and validated in median %d ms (%d to %d ms)%n",
                TARGETS, text.length() / 1024, millis.get(millis.size() / 2), millis.get(0), millis.get(millis.size() - 1));
    }

    @Test
    void decisionOnThreeMetricsOneABand() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Policy policy = new Policy(1, 50, 100, 0.1, Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ZERO,
                Duration.ofSeconds(300), StepLimit.NONE, StepLimit.NONE, Fallback.OFF,
                new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10)));
        MetricRule.Tracking rps = new MetricRule.Tracking("rps", "q", null, null);
        MetricRule.Tracking cpu = new MetricRule.Tracking("cpu", "q", 0.7, 0.1);
        MetricRule.Bands latency = new MetricRule.Bands("latency", "q", 0.5, Duration.ofMinutes(2), 0.2,
                Duration.ofMinutes(5), MetricRule.Step.replicas(2), MetricRule.Step.replicas(1), Duration.ofSeconds(15));
        List<RangeReading.Sample> samples = new ArrayList<>();
        for (int s = 300; s >= 0; s -= 15) {
            samples.add(new RangeReading.Sample(now.minusSeconds(s), 0.3 + (s % 60) / 100.0));
        }
        List<MetricInput> inputs = List.of(new MetricInput.Instant(rps, MetricReading.healthy(420, now)),
                new MetricInput.Instant(cpu, MetricReading.healthy(2.1, now)),
                new MetricInput.Range(latency, RangeReading.of(samples, ""), now));
        Decider decider = new Decider(Clock.fixed(now, ZoneOffset.UTC));
        int n = 200_000;
        long sink = 0;
        double best = 0;
        for (int round = 0; round < 8; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                MetricVerdict verdict = MetricVerdict.judge(inputs, 3 + (i & 3), policy);
                sink += decider.decide(policy, OptionalInt.of(3 + (i & 3)), verdict, DecisionHistory.EMPTY)
                        .targetReplicas();
            }
            double perSecond = n / ((System.nanoTime() - start) / 1e9);
            if (round >= 3) {
                best = Math.max(best, perSecond);
            }
        }
        System.out.printf("BENCH three-metric decision (judge 2 tracking + 1 band of 21 samples, combine, decide):"
                + " best %.0f decisions/s (%.1f us each) [sink %d]%n", best, 1e6 / best, sink);
    }
}
