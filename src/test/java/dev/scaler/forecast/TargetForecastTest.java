package dev.scaler.forecast;

import dev.scaler.testing.MutableClock;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A target's forecast between ticks: its refresh schedule, a failed refresh, and a forecast set aside. */
class TargetForecastTest {

    static final Instant NOW = ForecasterTest.NOW;
    static final ForecastSettings ON = ForecastSettings.parse(Map.of("predictive", "on", "predictive-margin", "0"));

    @Test
    void theHistoryIsReadAgainEveryRefreshNotEveryTick() {
        MutableClock clock = new MutableClock(NOW);
        TargetForecast t = new TargetForecast(ON, clock);
        assertThat(t.refreshDue()).isTrue();
        assertThat(t.tick(500, ForecasterTest.recent(x -> 500), Duration.ofMinutes(3)).reason())
                .isEqualTo("no history read yet");
        t.refreshed(ForecasterTest.coarse(x -> 500, Duration.ofDays(2), 0));
        assertThat(t.refreshDue()).isFalse();
        clock.set(NOW.plus(Duration.ofMinutes(14)));
        assertThat(t.refreshDue()).isFalse();
        clock.set(NOW.plus(Duration.ofMinutes(15)));
        assertThat(t.refreshDue()).isTrue();
    }

    @Test
    void aFailedRefreshDecidesReactivelyUntilTheNextOneAndSaysWhy() {
        MutableClock clock = new MutableClock(NOW);
        TargetForecast t = new TargetForecast(ON, clock);
        t.refreshFailed("range query failed: Prometheus at http://p:9090/ is unreachable");
        Forecast f = t.tick(500, flat(500, clock.instant()), Duration.ofMinutes(3));
        assertThat(f.usable()).isFalse();
        assertThat(f.describe()).isEqualTo("no forecast (range query failed: Prometheus at http://p:9090/ is unreachable)");
        assertThat(t.refreshDue()).isFalse();
    }

    @Test
    void aForecastFarFromWhatCameIsSetAsideAndUsedAgainWhenRight() {
        MutableClock clock = new MutableClock(NOW);
        TargetForecast t = new TargetForecast(ON, clock);
        t.refreshed(ForecasterTest.coarse(x -> 500, Duration.ofDays(2), 0));
        // the forecaster expects 500 from the latest loads, and then 100 comes, minute after minute
        Forecast f = null;
        for (int i = 0; i < 30; i++) {
            clock.set(NOW.plus(Duration.ofMinutes(i)));
            f = t.tick(100, flat(500, clock.instant()), Duration.ofMinutes(3));
        }
        assertThat(t.recentError()).isCloseTo(4.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(f.usable()).isFalse();
        assertThat(f.reason()).startsWith("recent error 400.0 % of the load is above predictive-max-error 50.0 %");
        for (int i = 30; i < 30 + ForecastTracker.WINDOW + 5; i++) {
            clock.set(NOW.plus(Duration.ofMinutes(i)));
            f = t.tick(500, flat(500, clock.instant()), Duration.ofMinutes(3));
        }
        assertThat(f.usable()).isTrue();
        assertThat(t.lastError()).isZero();
    }

    /** 21 minutes of {@code value}, one a minute, the last at {@code now}. */
    static Series flat(double value, Instant now) {
        double[] v = new double[21];
        java.util.Arrays.fill(v, value);
        return new Series(now.minus(Duration.ofMinutes(20)), Duration.ofMinutes(1), v);
    }
}
