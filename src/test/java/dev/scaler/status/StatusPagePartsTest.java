package dev.scaler.status;

import dev.scaler.chart.Buckets;
import dev.scaler.decision.Policy;
import dev.scaler.decision.Recommendation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The status page's pure parts: the stabilization still holding, redaction, max-per-bucket downsampling. */
class StatusPagePartsTest {

    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    static Recommendation rec(int secondsAgo, int replicas) {
        return new Recommendation(NOW.minusSeconds(secondsAgo), replicas);
    }

    @Test
    void stabilizationRemaining() {
        // down-window 300 s, up-window 0 (the defaults)
        Policy defaults = Policy.defaults(1, 10, 100);
        record Case(String name, List<Recommendation> recs, String expected) {
        }
        List<Case> cases = List.of(
                new Case("no recommendation", List.of(), "none"),
                new Case("newest is the highest", List.of(rec(100, 2), rec(10, 3)), "none"),
                new Case("a higher one 100 s ago holds 200 s more", List.of(rec(100, 5), rec(10, 2)),
                        "scale-down held above 2 for 200s (the window's highest 5)"),
                new Case("the highest of several, until the last higher leaves", List.of(rec(250, 6), rec(100, 4),
                        rec(5, 2)), "scale-down held above 2 for 200s (the window's highest 6)"),
                new Case("older than the window holds nothing", List.of(rec(301, 9), rec(10, 2)), "none"),
                new Case("a future recommendation is ignored", List.of(rec(-30, 9), rec(10, 2)), "none"));
        for (Case c : cases) {
            assertThat(Stabilization.remaining(defaults, c.recs(), NOW)).as(c.name()).isEqualTo(c.expected());
        }
        Policy up = new Policy(1, 10, 100, 0.1, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(60),
                Duration.ZERO, defaults.scaleUpLimit(), defaults.scaleDownLimit(), defaults.fallback(),
                defaults.retryBackoff());
        assertThat(Stabilization.remaining(up, List.of(rec(50, 2), rec(5, 6)), NOW)).isEqualTo("scale-up held below 6 for 10s (the window's lowest 2)");
    }

    @Test
    void bucketsKeepTheMaximumAndMarkEmptyColumns() {
        Buckets b = new Buckets(0, 100, 4);
        b.add(0, 1);
        b.add(10, 7);
        b.add(24, 3);
        b.add(60, 2);
        b.add(100, 9);
        b.add(101, 50);
        b.add(-1, 50);
        b.add(70, Double.NaN);
        assertThat(b.values()).containsExactly(7, Double.NaN, 2, 9);
    }
}
