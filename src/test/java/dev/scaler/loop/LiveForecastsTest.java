package dev.scaler.loop;

import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricState;
import dev.scaler.decision.RangeReading;
import dev.scaler.forecast.Forecast;
import dev.scaler.forecast.Series;
import dev.scaler.metrics.MetricSource;
import dev.scaler.policy.TargetFields;
import dev.scaler.target.Target;
import dev.scaler.target.Targets;
import dev.scaler.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LiveForecasts} on its own: the grids it builds, and that a tick never waits for the range query. */
class LiveForecastsTest {

    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    static Target target(String mode) {
        return Targets.from(TargetFields.properties("web", Map.of("query", "up", "compose-project", "demo",
                "predictive", mode, "predictive-trend-window", "1m"), null));
    }

    @Test
    void aRangeIsPutOnItsGridWithNaNWhereAStepHasNoSample() {
        Instant from = T0.minus(Duration.ofMinutes(20));
        RangeReading range = RangeReading.of(List.of(new RangeReading.Sample(from, 1),
                new RangeReading.Sample(from.plus(Duration.ofMinutes(10)), 3),
                new RangeReading.Sample(from.plus(Duration.ofMinutes(15)), -1),
                new RangeReading.Sample(T0, 5)), "");
        Series s = LiveForecasts.series(range, from, T0, Duration.ofMinutes(5));
        assertThat(s.start()).isEqualTo(from);
        assertThat(s.values()).containsExactly(1, Double.NaN, 3, Double.NaN, 5);
    }

    @Test
    void theLatestReadingsAreOnTheSecondTheyWereReadInWithinTheWindow() {
        ArrayDeque<double[]> readings = new ArrayDeque<>();
        readings.add(new double[] {T0.minusSeconds(90).toEpochMilli(), 7});
        readings.add(new double[] {T0.minusMillis(30_500).toEpochMilli(), 8});
        readings.add(new double[] {T0.toEpochMilli(), 9});
        Series s = LiveForecasts.recent(readings, T0.plusMillis(400), Duration.ofMinutes(1));
        assertThat(s.start()).isEqualTo(T0.minusSeconds(60));
        assertThat(s.step()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.size()).isEqualTo(61);
        assertThat(s.values()[29]).isEqualTo(8);
        assertThat(s.values()[60]).isEqualTo(9);
        assertThat(Arrays.stream(s.values()).filter(v -> !Double.isNaN(v)).count()).isEqualTo(2);
    }

    @Test
    void aTickDoesNotWaitForTheRangeQuery() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        CountDownLatch asked = new CountDownLatch(1);
        MetricSource slow = new MetricSource() {
            @Override
            public MetricReading read(String promql) {
                throw new AssertionError("not used");
            }

            @Override
            public RangeReading readRange(String promql, Instant from, Instant to, Duration step) {
                asked.countDown();
                try {
                    answer.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return RangeReading.failed(MetricState.UNREACHABLE, "slow");
            }
        };
        try (LiveForecasts live = new LiveForecasts(slow, Clock.fixed(T0, ZoneOffset.UTC))) {
            Forecast f = live.tick(target("on"), MetricReading.healthy(1, T0), Duration.ofSeconds(15));
            assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
            // the range query is still running, and the tick is back
            assertThat(f.reason()).isEqualTo("no history read yet");
            assertThat(live.view("web").orElseThrow().refreshing()).isTrue();
            // a second tick while it runs starts no second query
            live.tick(target("on"), MetricReading.healthy(1, T0), Duration.ofSeconds(15));
            answer.countDown();
            Await.until("the refresh ended", Duration.ofSeconds(10), () -> !live.view("web").orElseThrow().refreshing());
            Forecast after = live.tick(target("on"), MetricReading.healthy(1, T0), Duration.ofSeconds(15));
            assertThat(after.reason()).isEqualTo("range query UNREACHABLE: slow");
            // the horizon without predictive-horizon: 2 minutes plus the poll interval
            assertThat(after.horizon()).isEqualTo(Duration.ofSeconds(135));
        }
    }

    @Test
    void aPartialRangeIsNotUsed() {
        MetricSource warned = new MetricSource() {
            @Override
            public MetricReading read(String promql) {
                throw new AssertionError("not used");
            }

            @Override
            public RangeReading readRange(String promql, Instant from, Instant to, Duration step) {
                return RangeReading.of(List.of(new RangeReading.Sample(from, 1)), "some shards did not answer");
            }
        };
        try (LiveForecasts live = new LiveForecasts(warned, Clock.fixed(T0, ZoneOffset.UTC))) {
            live.tick(target("forecast-only"), MetricReading.healthy(1, T0), Duration.ofSeconds(15));
            Await.until("the refresh ended", Duration.ofSeconds(10), () -> !live.view("web").orElseThrow().refreshing());
            Forecast f = live.tick(target("forecast-only"), MetricReading.healthy(1, T0), Duration.ofSeconds(15));
            assertThat(f.usable()).isFalse();
            assertThat(f.reason()).isEqualTo("range query partial (Prometheus warned: some shards did not answer)");
            LiveForecasts.View view = live.view("web").orElseThrow();
            assertThat(view.mode()).isEqualTo("forecast-only");
            assertThat(view.notUsed()).isEqualTo(f.reason());
        }
    }

    @Test
    void aTargetThatDoesNotForecastHasNoState() {
        try (LiveForecasts live = new LiveForecasts(promql -> MetricReading.healthy(1, T0),
                Clock.fixed(T0, ZoneOffset.UTC))) {
            assertThat(live.tick(target("off"), MetricReading.healthy(1, T0), Duration.ofSeconds(15))).isNull();
            assertThat(live.view("web")).isEmpty();
        }
    }
}
