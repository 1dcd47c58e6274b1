package dev.scaler.loop;

import dev.scaler.decision.MetricReading;
import dev.scaler.forecast.Forecast;
import dev.scaler.metrics.PrometheusConfiguration;
import dev.scaler.metrics.PrometheusMetricSource;
import dev.scaler.policy.TargetFields;
import dev.scaler.target.Target;
import dev.scaler.target.Targets;
import dev.scaler.testing.Await;
import dev.scaler.testing.DailyHistory;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LiveForecasts} against a real Prometheus whose TSDB was backfilled (promtool) with three days of a daily
 * shape rising a few minutes from now: the range query's history gives a seasonal forecast of the rise while the
 * load now is low; a range query Prometheus rejects, and a Prometheus that does not answer, give no forecast and
 * say why, and the refresh never runs on the caller's thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveForecastsOnPrometheusTest {

    static final Duration POLL = Duration.ofSeconds(1);
    PrometheusProcess prometheus;
    Instant now;

    @BeforeAll
    void start() {
        RealParts.requireCommand("prometheus");
        RealParts.requireCommand("promtool");
        now = Instant.now();
        prometheus = PrometheusProcess.startWithHistory(List.of(), DailyHistory.openMetrics("webapp_load",
                "source=\"history\"", now.minus(Duration.ofDays(3)).minus(Duration.ofHours(1)),
                now.minus(Duration.ofMinutes(10)), now.plus(Duration.ofMinutes(3)), Duration.ofHours(1), 10, 100));
    }

    @AfterAll
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    static Target target(String step) {
        Map<String, String> v = new HashMap<>();
        v.put("query", "max(webapp_load)");
        v.put("compose-project", "unused");
        v.put("capacity-per-replica", "20");
        v.put("predictive", "on");
        v.put("predictive-history", "3d");
        v.put("predictive-step", step);
        v.put("predictive-horizon", "5m");
        v.put("predictive-trend-window", "1m");
        return Targets.from(TargetFields.properties("web", v, null));
    }

    LiveForecasts forecasts(URI url) {
        return new LiveForecasts(new PrometheusMetricSource(PrometheusConfiguration.forUrl(url), Clock.systemUTC(),
                JsonMapper.createDefault()), Clock.systemUTC());
    }

    /**
     * Ticks once a second with a low load until the forecast is usable or says why not after its refresh. The view
     * is read before the tick: a refresh that ends between a tick and the read of the view would otherwise let a
     * tick's forecast from before the refresh ("no history read yet") pass for one after it.
     */
    static Forecast tickUntilRefreshed(LiveForecasts live, Target target) {
        Forecast[] last = new Forecast[1];
        Await.until("a forecast after the history's refresh", Duration.ofSeconds(30), () -> {
            LiveForecasts.View before = live.view(target.name()).orElse(null);
            last[0] = live.tick(target, MetricReading.healthy(10, Instant.now()), POLL);
            Await.sleep(1000);
            return before != null && before.refreshedAt() != null && !before.refreshing()
                    && (last[0].usable() || !last[0].reason().contains("too few recent samples"));
        });
        return last[0];
    }

    @Test
    void theBackfilledDailyRiseIsForecastWhileTheLoadIsStillLow() {
        try (LiveForecasts live = forecasts(prometheus.url())) {
            Target target = target("1m");
            Forecast first = live.tick(target, MetricReading.healthy(10, Instant.now()), POLL);
            // the tick started the refresh and did not wait for it
            assertThat(first.usable()).isFalse();
            assertThat(first.reason()).isEqualTo("no history read yet");

            Forecast f = tickUntilRefreshed(live, target);
            assertThat(f.usable()).as(f.describe()).isTrue();
            assertThat(f.method()).isEqualTo("seasonal+trend");
            assertThat(f.value()).as(f.describe()).isGreaterThanOrEqualTo(100);
            assertThat(f.describe()).contains("of history at 1m");
            LiveForecasts.View view = live.view("web").orElseThrow();
            assertThat(view.mode()).isEqualTo("on");
            assertThat(view.used()).isTrue();
            assertThat(view.value()).isGreaterThanOrEqualTo(100);
            assertThat(view.horizonSeconds()).isEqualTo(300);
            assertThat(view.history()).contains("days of history at 1m");
            assertThat(view.notUsed()).isNull();
        }
    }

    @Test
    void aRangeQueryPrometheusRejectsLeavesTheTargetReactiveAndSaysWhy() {
        try (LiveForecasts live = forecasts(prometheus.url())) {
            // 3 days at 10s is 25,920 points: more than Prometheus answers for one series
            Forecast f = tickUntilRefreshed(live, target("10s"));
            assertThat(f.usable()).isFalse();
            assertThat(f.reason()).startsWith("range query ").contains("11,000");
            assertThat(live.view("web").orElseThrow().notUsed()).isEqualTo(f.reason());
        }
    }

    @Test
    void aPrometheusThatDoesNotAnswerLeavesTheTargetReactiveAndSaysWhy() {
        try (LiveForecasts live = forecasts(URI.create("http://127.0.0.1:1"))) {
            Forecast f = tickUntilRefreshed(live, target("1m"));
            assertThat(f.usable()).isFalse();
            assertThat(f.reason()).startsWith("range query UNREACHABLE");
        }
    }
}
