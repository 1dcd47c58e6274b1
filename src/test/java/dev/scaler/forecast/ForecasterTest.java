package dev.scaler.forecast;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One table of cases, in the manner of the decider's: each row states a load (a function of the time in
 * seconds since the epoch), how much history there is, and what the forecast over the next three minutes must be.
 */
class ForecasterTest {

    /** Midnight UTC plus 14:00: the rows' "now", on the rising flank of the daily season below. */
    static final Instant NOW = Instant.parse("2026-03-15T14:00:00Z");
    static final Duration HORIZON = Duration.ofMinutes(3);
    static final Duration COARSE = Duration.ofMinutes(5);
    static final Duration FINE = Duration.ofMinutes(1);
    static final ForecastSettings ON = ForecastSettings.parse(java.util.Map.of("predictive", "on",
            "predictive-margin", "0", "predictive-batch", "0m"));

    /** 100 at 02:00 UTC, 300 at 14:00: the shape of a day. */
    static double season(double seconds) {
        return 200 - 100 * Math.cos(2 * Math.PI * (seconds / 86_400.0 - 2 / 24.0));
    }

    enum Expect { USABLE, NONE }

    record Case(String name, DoubleUnaryOperator load, Duration history, double gapShare, ForecastSettings settings,
                Expect expect, String method, double value, double within, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        double now = NOW.getEpochSecond();
        Random noise = new Random(12);
        return Stream.of(
                new Case("constant load: forecast is the load", t -> 500, Duration.ofDays(3), 0, ON,
                        Expect.USABLE, "trend", 500, 1e-6, ""),
                new Case("linear ramp of 1/s per minute: followed three minutes ahead", t -> 500 + (t - now) / 60,
                        Duration.ofDays(3), 0, ON, Expect.USABLE, "trend", 503, 0.01, ""),
                new Case("pure daily season: the profile's value three minutes ahead", ForecasterTest::season,
                        Duration.ofDays(7), 0, ON, Expect.USABLE, "seasonal+trend", season(now + 180), 0.6, ""),
                new Case("season busier today: level-corrected to today's load", t -> season(t) * (t > now - 86_400 ? 1.5 : 1),
                        Duration.ofDays(7), 0, ON, Expect.USABLE, "seasonal+trend", 1.5 * season(now + 180), 3, ""),
                new Case("season plus noise: within the noise of the profile", t -> season(t) + 10 * noise.nextGaussian(),
                        Duration.ofDays(14), 0, ON, Expect.USABLE, "seasonal+trend", season(now + 180), 12, ""),
                new Case("season plus noise, with a margin of one spread: above the season",
                        t -> season(t) + 10 * noise.nextGaussian(), Duration.ofDays(14), 0,
                        ForecastSettings.parse(java.util.Map.of("predictive", "on", "predictive-batch", "0m",
                                "predictive-margin", "1")), Expect.USABLE, "seasonal+trend", season(now + 180) + 10, 12, ""),
                new Case("too little history: 20 hours of the 24 needed", t -> 500, Duration.ofHours(20), 0, ON,
                        Expect.NONE, "none", Double.NaN, 0, "too little history: 20.0 hours of the 1.0 days needed (predictive-min-history)"),
                new Case("gaps: a fifth of the history missing", t -> 500, Duration.ofDays(3), 0.2, ON,
                        Expect.NONE, "none", Double.NaN, 0, "gaps in the history"),
                new Case("no history at all", t -> Double.NaN, Duration.ofDays(3), 0, ON,
                        Expect.NONE, "none", Double.NaN, 0, "no history"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forecasts(Case c) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Forecaster forecaster = new Forecaster(clock);
        Model model = forecaster.fit(c.settings(), coarse(c.load(), c.history(), c.gapShare()));
        Forecast f = forecaster.forecast(c.settings(), model, recent(c.load()), HORIZON);
        if (c.expect() == Expect.NONE) {
            assertThat(f.usable()).isFalse();
            assertThat(f.reason()).contains(c.reason());
            assertThat(f.describe()).startsWith("no forecast (");
            return;
        }
        assertThat(f.usable()).as(f.reason()).isTrue();
        assertThat(f.method()).isEqualTo(c.method());
        assertThat(f.value()).isCloseTo(c.value(), within(c.within()));
        assertThat(f.at()).isEqualTo(NOW);
        assertThat(f.describe()).startsWith("forecast ").contains(c.method());
    }

    @Test
    void theMethodIsChosenOnTheData() {
        Forecaster forecaster = new Forecaster(Clock.fixed(NOW, ZoneOffset.UTC));
        // a season the profile knows
        Model seasonal = forecaster.fit(ON, coarse(ForecasterTest::season, Duration.ofDays(7), 0));
        assertThat(seasonal).isInstanceOf(Model.Seasonal.class);
        assertThat(((Model.Seasonal) seasonal).seasonalError())
                .isLessThan(((Model.Seasonal) seasonal).persistenceError());
        // a random walk: yesterday says nothing about today, the latest value says more
        Random r = new Random(3);
        double[] walk = new double[7 * 288];
        walk[0] = 500;
        for (int i = 1; i < walk.length; i++) {
            walk[i] = Math.max(1, walk[i - 1] + 20 * r.nextGaussian());
        }
        Instant start = NOW.minus(Duration.ofDays(7)).plus(COARSE);
        Model trend = forecaster.fit(ON, new Series(start, COARSE, walk));
        assertThat(trend).isInstanceOf(Model.TrendOnly.class);
        assertThat(trend.data()).contains("last day's error: profile");
    }

    @Test
    void aSlopeWithinItsNoiseIsNotExtrapolated() {
        Forecaster forecaster = new Forecaster(Clock.fixed(NOW, ZoneOffset.UTC));
        Model model = forecaster.fit(ON, coarse(t -> 500, Duration.ofDays(2), 0));
        double[] v = {500, 520, 480, 510, 490, 505, 495, 500, 515, 485, 500, 510, 490, 500, 505, 495, 500, 490, 510, 500, 501};
        Forecast f = forecaster.forecast(ON, model, new Series(NOW.minus(FINE.multipliedBy(v.length - 1)), FINE, v),
                HORIZON);
        assertThat(f.slope()).isZero();
        assertThat(f.value()).isCloseTo(500, within(5.0));
    }

    @Test
    void tooFewRecentSamplesGiveNoForecast() {
        Forecaster forecaster = new Forecaster(Clock.fixed(NOW, ZoneOffset.UTC));
        Model model = forecaster.fit(ON, coarse(t -> 500, Duration.ofDays(2), 0));
        Forecast f = forecaster.forecast(ON, model, new Series(NOW.minus(FINE), FINE, new double[] {500, Double.NaN}),
                HORIZON);
        assertThat(f.usable()).isFalse();
        assertThat(f.reason()).isEqualTo("too few recent samples: 1 in the last 20m (predictive-trend-window), 3 needed");
    }

    @Test
    void theBatchAheadCoversMoreOfARamp() {
        ForecastSettings batched = ForecastSettings.parse(java.util.Map.of("predictive", "on", "predictive-margin", "0",
                "predictive-batch", "5m"));
        double now = NOW.getEpochSecond();
        DoubleUnaryOperator ramp = t -> 500 + (t - now) / 60;
        Forecaster forecaster = new Forecaster(Clock.fixed(NOW, ZoneOffset.UTC));
        Forecast f = forecaster.forecast(batched, forecaster.fit(batched, coarse(ramp, Duration.ofDays(2), 0)),
                recent(ramp), HORIZON);
        assertThat(f.value()).isCloseTo(503, within(0.01));
        assertThat(f.ahead()).isCloseTo(508, within(0.01));
    }

    /** The load averaged per coarse step and stamped at the step's end, as query_range of a rate() gives it. */
    static Series coarse(DoubleUnaryOperator load, Duration history, double gapShare) {
        int n = (int) (history.toSeconds() / COARSE.toSeconds());
        double[] v = new double[n];
        Instant start = NOW.minus(history).plus(COARSE);
        Random gaps = new Random(7);
        for (int i = 0; i < n; i++) {
            double end = start.getEpochSecond() + i * COARSE.toSeconds();
            double sum = 0;
            for (int k = 0; k < 5; k++) {
                sum += load.applyAsDouble(end - 300 + 60 * k);
            }
            v[i] = gaps.nextDouble() < gapShare ? Double.NaN : sum / 5;
        }
        return new Series(start, COARSE, v);
    }

    /** The latest 21 minutes, one sample a minute, the last at now. */
    static Series recent(DoubleUnaryOperator load) {
        double[] v = new double[21];
        Instant start = NOW.minus(FINE.multipliedBy(20));
        for (int i = 0; i < v.length; i++) {
            v[i] = load.applyAsDouble(start.getEpochSecond() + 60.0 * i);
        }
        return new Series(start, FINE, v);
    }
}
