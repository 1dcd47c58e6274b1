package dev.scaler.alerts;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AlertDeduplicatorTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aKeyIsSeenForTheWindowAndForgottenAfter() {
        AlertDeduplicator d = new AlertDeduplicator(Duration.ofMinutes(10), 100);
        assertThat(d.seen("a", T0)).isFalse();
        d.remember("a", T0);
        assertThat(d.seen("a", T0.plus(Duration.ofMinutes(10)).minusMillis(1))).isTrue();
        assertThat(d.seen("a", T0.plus(Duration.ofMinutes(10)))).isFalse();
        assertThat(d.size()).isZero();
    }

    @Test
    void theOldestGoFirstPastTheCapacity() {
        AlertDeduplicator d = new AlertDeduplicator(Duration.ofHours(1), 2);
        d.remember("a", T0);
        d.remember("b", T0.plusSeconds(1));
        d.remember("c", T0.plusSeconds(2));
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.seen("a", T0.plusSeconds(3))).isFalse();
        assertThat(d.seen("b", T0.plusSeconds(3))).isTrue();
        assertThat(d.seen("c", T0.plusSeconds(3))).isTrue();
    }

    @Test
    void theKeyIsFingerprintStatusAndStart() {
        var firing = new AlertmanagerPayload.Alert("firing", java.util.Map.of("alertname", "X"), null,
                "2026-01-01T00:00:00Z", null, null, "fp1");
        var resolved = new AlertmanagerPayload.Alert("resolved", java.util.Map.of("alertname", "X"), null,
                "2026-01-01T00:00:00Z", "2026-01-01T00:05:00Z", null, "fp1");
        var refired = new AlertmanagerPayload.Alert("firing", java.util.Map.of("alertname", "X"), null,
                "2026-01-01T01:00:00Z", null, null, "fp1");
        var noFingerprint = new AlertmanagerPayload.Alert("firing", java.util.Map.of("b", "2", "a", "1"), null,
                "2026-01-01T00:00:00Z", null, null, null);
        assertThat(firing.dedupeKey()).isNotEqualTo(resolved.dedupeKey()).isNotEqualTo(refired.dedupeKey());
        assertThat(noFingerprint.dedupeKey()).isEqualTo("{a=1, b=2}|firing|2026-01-01T00:00:00Z");
        assertThat(AlertWebhook.tickSafe("High \"load\" on web")).isEqualTo("High__load__on_web");
    }
}
