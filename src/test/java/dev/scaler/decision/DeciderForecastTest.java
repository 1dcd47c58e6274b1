package dev.scaler.decision;

import dev.scaler.forecast.Forecast;
import dev.scaler.forecast.ForecastSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a forecast takes part in a decision, one table in the manner of {@link DeciderTest}: the recommendation
 * is the larger of the reactive one and the forecast's, a forecast never lowers it, max-replicas caps it,
 * forecast-only and unusable forecasts leave the decision reactive, and the reason says which.
 */
class DeciderForecastTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    /** Capacity 100 per replica, 1..10 replicas, the defaults otherwise. */
    static final Policy POLICY = Policy.defaults(1, 10, 100);
    static final ForecastSettings ON = ForecastSettings.parse(Map.of("predictive", "on"));
    static final ForecastSettings ONLY = ForecastSettings.parse(Map.of("predictive", "forecast-only"));
    static final ForecastSettings OFF = ForecastSettings.DEFAULTS;

    enum Kind { SCALE, HOLD }

    record Case(String name, ForecastSettings settings, int observed, double load, Forecast forecast,
                DecisionHistory history, Kind kind, int replicas, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Forecast usable(double value, double ahead) {
        return new Forecast(NOW, Duration.ofMinutes(3), true, value, ahead, "trend", 290, 0.5, Double.NaN, 5,
                "2.0 days of history", "");
    }

    static Forecast unusable(String why) {
        return new Forecast(NOW, Duration.ofMinutes(3), false, Double.NaN, Double.NaN, "none", Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, "", why);
    }

    static DecisionHistory recommended(int replicas, Duration ago) {
        return new DecisionHistory(List.of(new Recommendation(NOW.minus(ago), replicas)), null, null, 0, 0, null, null,
                null, 0);
    }

    static Stream<Case> cases() {
        DecisionHistory none = DecisionHistory.EMPTY;
        return Stream.of(
                new Case("a rise forecast: scale up before the load is there", ON, 3, 300, usable(450, 450), none,
                        Kind.SCALE, 5, "after tolerance 5 (raised by the forecast)"),
                new Case("a scale-up asks for the batch ahead too", ON, 3, 300, usable(450, 620), none,
                        Kind.SCALE, 7, "forecast 450 within 180s, 620 batched ahead"),
                new Case("the forecast below the reactive recommendation: reactive", ON, 3, 500, usable(350, 350), none,
                        Kind.SCALE, 5, "after tolerance 5, stabilized 5"),
                new Case("a forecast far below never scales in", ON, 3, 300, usable(50, 50), none,
                        Kind.HOLD, 3, "load needs the 3 replicas running"),
                new Case("a forecast within predictive-tolerance above the running capacity keeps the count", ON, 3,
                        300, usable(314, 314), none, Kind.HOLD, 3, "forecast 314 within 180s"),
                new Case("max-replicas caps the forecast", ON, 8, 800, usable(5000, 5000), none,
                        Kind.SCALE, 10, "after tolerance 50 (raised by the forecast), stabilized 50, limited 50, desired 10"),
                new Case("a high forecast holds a scale-down the observed load asks for", ON, 6, 300, usable(550, 550),
                        none, Kind.HOLD, 6, "forecast 550 within 180s"),
                new Case("scale-in follows the load through the usual stabilization once the forecast falls", ON, 6,
                        300, usable(290, 290), recommended(6, Duration.ofMinutes(6)), Kind.SCALE, 3, "scale down 6 -> 3"),
                new Case("forecast-only: recorded, not acted on", ONLY, 3, 300, usable(450, 450), none,
                        Kind.HOLD, 3, "(forecast-only: would recommend 5)"),
                new Case("an unusable forecast: reactive, and why", ON, 3, 300, unusable("too little history: 3.0 hours"
                        + " of the 1.0 days needed (predictive-min-history)"), none, Kind.HOLD, 3,
                        "reactive: no forecast (too little history: 3.0 hours of the 1.0 days needed"),
                new Case("no forecast yet: reactive", ON, 3, 300, null, none, Kind.HOLD, 3, "reactive: no forecast yet"),
                new Case("an unusable forecast never blocks a scale-up", ON, 3, 600, unusable("gaps in the history"), none,
                        Kind.SCALE, 6, "scale up 3 -> 6"),
                new Case("off: the reason says nothing of a forecast", OFF, 3, 300, usable(450, 450), none,
                        Kind.HOLD, 3, "load needs the 3 replicas running; load 300 / 100 per replica: raw 3, after"
                        + " tolerance 3, stabilized 3, limited 3, desired 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(Case c) {
        Decider decider = new Decider(Clock.fixed(NOW, ZoneOffset.UTC));
        Decision d = decider.decide(POLICY, OptionalInt.of(c.observed()), MetricReading.healthy(c.load(), NOW),
                c.history(), c.forecast(), c.settings());
        assertThat(d).isInstanceOf(c.kind() == Kind.SCALE ? Decision.Scale.class : Decision.Hold.class);
        assertThat(d.targetReplicas()).as(d.reason()).isEqualTo(c.replicas());
        assertThat(d.reason()).contains(c.reason());
        if (c.settings() == OFF) {
            assertThat(d.reason()).doesNotContain("forecast");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theRecommendationRememberedIsTheLargerOfBoth(Case c) {
        Decider decider = new Decider(Clock.fixed(NOW, ZoneOffset.UTC));
        Decision d = decider.decide(POLICY, OptionalInt.of(c.observed()), MetricReading.healthy(c.load(), NOW),
                c.history(), c.forecast(), c.settings());
        int reactive = new Decider(Clock.fixed(NOW, ZoneOffset.UTC)).decide(POLICY, OptionalInt.of(c.observed()),
                MetricReading.healthy(c.load(), NOW), c.history()).recommendation();
        assertThat(d.recommendation()).isGreaterThanOrEqualTo(reactive);
        if (c.settings() != ON) {
            assertThat(d.recommendation()).isEqualTo(reactive);
        }
    }

    /** The live loop's overload (a verdict of the query shorthand) decides exactly as the backtest's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theLiveLoopsOverloadDecidesTheSame(Case c) {
        Decider decider = new Decider(Clock.fixed(NOW, ZoneOffset.UTC));
        MetricReading reading = MetricReading.healthy(c.load(), NOW);
        Decision replayed = decider.decide(POLICY, OptionalInt.of(c.observed()), reading, c.history(), c.forecast(),
                c.settings());
        Decision live = decider.decide(POLICY, OptionalInt.of(c.observed()), MetricVerdict.single(reading),
                c.history(), Decider.EXITED_OR_REMOVED, c.forecast(), c.settings());
        assertThat(live).isEqualTo(replayed);
    }
}
