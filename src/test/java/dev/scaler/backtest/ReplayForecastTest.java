package dev.scaler.backtest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A forecasting policy in the replay: the trace before the window is its history, the forecast is refreshed
 * as live, and a rise the days before had at the same time is met before it comes.
 */
class ReplayForecastTest {

    private static final Instant DAY0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String POLICY = """
            max-replicas: 10
            capacity-per-replica: 100
            """;
    private static final NamedPolicy REACTIVE = PolicyFile.parse("reactive.yml", "reactive", POLICY).get(0);
    private static final NamedPolicy PREDICTIVE = PolicyFile.parse("predictive.yml", "predictive",
            POLICY + "predictive: on\n").get(0);
    private static final ReplaySettings WORLD = new ReplaySettings(100, Duration.ofMinutes(2), null, null);

    /** 100 a second, 800 from 12:00 to 14:00 UTC, every day; one value a minute. */
    private static LoadTrace days(Instant from, int minutes) {
        double[] v = new double[minutes];
        for (int i = 0; i < minutes; i++) {
            long minuteOfDay = Math.floorMod(from.getEpochSecond() / 60 + i, 1440);
            v[i] = minuteOfDay >= 720 && minuteOfDay < 840 ? 800 : 100;
        }
        return new LoadTrace("daily", from, Duration.ofMinutes(1), v);
    }

    @Test
    void aDailyRiseIsMetBeforeItComes() {
        LoadTrace history = days(DAY0, 3 * 1440 + 600);           // three days and ten hours
        LoadTrace window = days(history.end(), 4 * 60);            // 10:00 .. 14:00 of the fourth day
        List<String> reasons = new ArrayList<>();
        ReplayResult predictive = Replay.run(history, window, PREDICTIVE, WORLD,
                (i, at, observed, reading, decision) -> reasons.add(at + " " + decision.reason()), (d, t) -> { });
        ReplayResult reactive = Replay.run(history, window, REACTIVE, WORLD, (i, at, o, r, d) -> { }, (d, t) -> { });

        Instant rise = Instant.parse("2026-01-04T12:00:00Z");
        Replay.ScaleAction firstUp = predictive.actions().get(0);
        assertThat(firstUp.at()).isBefore(rise);
        assertThat(firstUp.to()).isEqualTo(8);
        assertThat(firstUp.reason()).contains("raised by the forecast").contains("seasonal+trend");
        assertThat(reactive.actions().get(0).at()).isAfterOrEqualTo(rise);
        // serving when the load comes: nothing short; the reactive policy is short for the start delay
        assertThat(predictive.score().metrics().underAccuracy()).isZero();
        assertThat(reactive.score().metrics().underAccuracy()).isPositive();
        // the forecast and what then came are in the result, for the chart and the table
        assertThat(predictive.forecastCoveragePercent()).isGreaterThan(90);
        assertThat(predictive.forecastErrorPercent()).isLessThan(10);
        assertThat(reactive.forecastErrorPercent()).isNaN();
        assertThat(reasons.get(0)).contains("days of history at 5m");
    }

    @Test
    void withoutHistoryItDecidesReactivelyAndSaysWhy() {
        LoadTrace window = days(DAY0.plus(Duration.ofHours(10)), 4 * 60);
        List<String> reasons = new ArrayList<>();
        ReplayResult predictive = Replay.run(null, window, PREDICTIVE, WORLD,
                (i, at, observed, reading, decision) -> reasons.add(decision.reason()), (d, t) -> { });
        ReplayResult reactive = Replay.run(null, window, REACTIVE, WORLD, (i, at, o, r, d) -> { }, (d, t) -> { });
        assertThat(predictive.supply()).containsExactly(reactive.supply());
        assertThat(reasons).allMatch(r -> r.contains("reactive: no forecast (too little history: ")
                || r.contains("reactive: no forecast (no history"));
        assertThat(predictive.forecastCoveragePercent()).isZero();
    }

    @Test
    void aHistoryThatDoesNotEndWhereTheReplayStartsIsAnError() {
        LoadTrace history = days(DAY0, 1440);
        LoadTrace window = days(DAY0.plus(Duration.ofDays(2)), 60);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Replay.run(history, window, PREDICTIVE, WORLD,
                        (i, at, o, r, d) -> { }, (d, t) -> { }))
                .isInstanceOf(BacktestInputException.class)
                .hasMessageContaining("does not end where the replay");
    }
}
