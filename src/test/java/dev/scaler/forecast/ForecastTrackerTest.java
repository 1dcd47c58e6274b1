package dev.scaler.forecast;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ForecastTrackerTest {

    static final Instant T0 = Instant.parse("2026-03-15T14:00:00Z");
    static final Duration H = Duration.ofMinutes(3);

    static Forecast forecast(Instant at, double value) {
        return new Forecast(at, H, true, value, value, "trend", value, 0, Double.NaN, 0, "test", "");
    }

    /** Each minute: the load, then a forecast of {@code forecast}; returns the tracker. */
    static ForecastTracker run(double load, double forecast, int minutes) {
        ForecastTracker t = new ForecastTracker();
        for (int i = 0; i < minutes; i++) {
            Instant at = T0.plus(Duration.ofMinutes(i));
            t.observe(at, load);
            t.forecasted(forecast(at, forecast));
        }
        return t;
    }

    @Test
    void aRightForecastHasNoErrorAndStaysUsable() {
        ForecastTracker t = run(100, 100, 30);
        assertThat(t.recentError()).isZero();
        assertThat(t.lastError()).isZero();
        assertThat(t.check(forecast(T0, 100), 0.25).usable()).isTrue();
    }

    @Test
    void theErrorIsUnknownUntilTenAreJudged() {
        ForecastTracker t = run(100, 300, 12);
        // judged once their three minutes have passed: minutes 0..8 by minute 11
        assertThat(t.recentError()).isNaN();
        assertThat(t.check(forecast(T0, 300), 0.25).usable()).isTrue();
    }

    @Test
    void aForecastFarFromWhatHappenedIsSetAsideWithTheReason() {
        ForecastTracker t = run(100, 200, 30);
        assertThat(t.recentError()).isCloseTo(1.0, within(1e-9));
        assertThat(t.lastError()).isCloseTo(1.0, within(1e-9));
        Forecast f = t.check(forecast(T0, 200), 0.5);
        assertThat(f.usable()).isFalse();
        assertThat(f.reason()).isEqualTo("recent error 100.0 % of the load is above predictive-max-error 50.0 %");
        assertThat(f.value()).isEqualTo(200);
    }

    @Test
    void aForecastThatIsRightAgainIsUsedAgain() {
        ForecastTracker t = run(100, 200, 30);
        for (int i = 30; i < 30 + ForecastTracker.WINDOW + 5; i++) {
            Instant at = T0.plus(Duration.ofMinutes(i));
            t.observe(at, 100);
            t.forecasted(forecast(at, 100));
        }
        assertThat(t.recentError()).isCloseTo(0, within(1e-9));
        assertThat(t.check(forecast(T0, 100), 0.5).usable()).isTrue();
    }

    @Test
    void aGapInTheLoadJudgesOnWhatCame() {
        ForecastTracker t = new ForecastTracker();
        t.forecasted(forecast(T0, 100));
        t.observe(T0.plus(Duration.ofMinutes(1)), Double.NaN);
        t.observe(T0.plus(Duration.ofMinutes(2)), 150);
        t.observe(T0.plus(Duration.ofMinutes(3)), 120);
        assertThat(t.lastError()).isCloseTo(-1 / 3.0, within(1e-9));
    }
}
