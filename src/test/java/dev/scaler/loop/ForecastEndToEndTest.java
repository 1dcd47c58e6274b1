package dev.scaler.loop;

import dev.scaler.history.DecisionRecord;
import dev.scaler.testing.Await;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.DailyHistory;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Recorded;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import dev.scaler.testing.TestExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Predictive scaling through the whole loop on real parts: a real Prometheus whose TSDB holds three days of a daily
 * shape (backfilled with promtool) that rises a few minutes from now, a live gauge the test holds low, the real app,
 * the playbook and two compose projects on the real Docker engine. The target in mode {@code on} scales up before
 * the live load rises, and its reason names the forecast; the target configured {@code off} whose service's label
 * {@code scaler.predictive} says {@code forecast-only} records the forecast and what it would have done, and does
 * not act.
 */
class ForecastEndToEndTest {

    static final String ON = "webapp";
    static final String SHADOW = "shadow";

    @TempDir
    Path data;

    final Resources resources = new Resources();
    ComposeProject compose;
    ComposeProject shadow;
    TestExporter exporter;
    PrometheusProcess prometheus;

    @BeforeEach
    void realParts() throws Exception {
        RealParts.requireDocker();
        RealParts.requireCommand("ansible-playbook");
        RealParts.requireCommand("prometheus");
        RealParts.requireCommand("promtool");
        RealParts.requireCommand("docker-compose");
        compose = resources.track(new ComposeProject("scalerfcon"));
        // configured off, and turned to forecast-only by its service's label
        shadow = resources.track(new ComposeProject("scalerfcshadow", Map.of("scaler.predictive", "forecast-only")));
        exporter = resources.track(TestExporter.start());
        Instant now = Instant.now();
        prometheus = resources.track(PrometheusProcess.startWithHistory(List.of(exporter.address()),
                DailyHistory.openMetrics("webapp_load", "source=\"history\"",
                        now.minus(Duration.ofDays(3)).minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(10)),
                        now.plus(Duration.ofMinutes(3)), Duration.ofHours(1), 10, 100)));
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    @Test
    void scalesUpBeforeTheDailyRiseAndAForecastOnlyTargetOnlyRecords() {
        exporter.set("webapp_load", 10);
        prometheus.awaitData("webapp_load{job=\"test\"}", Duration.ofSeconds(30));
        compose.up(1);
        shadow.up(1);
        ScalerApp app = resources.track(ScalerApp.start(data, properties()));

        Await.until("scaled up ahead of the forecast rise", Duration.ofSeconds(180),
                () -> Recorded.succeeded(app, ON, 3));
        // the live load never rose: the scale-up came from the forecast of the daily rise
        assertThat(prometheus.awaitData("max(webapp_load{job=\"test\"}) == 10", Duration.ofSeconds(5))).isNotEmpty();
        DecisionRecord up = Recorded.decisions(app, ON).stream().filter(d -> d.outcome().equals("SCALE"))
                .findFirst().orElseThrow();
        assertThat(up.reason()).contains("scale up 1 -> 3", "load 10 / 20 per replica: raw 1",
                "(raised by the forecast)", "seasonal+trend", "of history at 1m");
        assertThat(compose.running()).isEqualTo(3);

        Await.until("the forecast-only target recorded what it would do", Duration.ofSeconds(60),
                () -> Recorded.decisions(app, SHADOW).stream()
                        .anyMatch(d -> d.reason().contains("forecast-only: would recommend ")));
        assertThat(Recorded.decisions(app, SHADOW)).noneMatch(d -> d.outcome().equals("SCALE"));
        assertThat(Recorded.decisions(app, SHADOW)).anyMatch(d -> d.reason().contains("seasonal+trend")
                && d.reason().contains("labels: predictive=forecast-only (scaler.predictive)"));
        assertThat(shadow.running()).isEqualTo(1);

        String targets = app.get("/api/targets").body();
        assertThat(targets).contains("\"mode\":\"on\"", "\"mode\":\"forecast-only\"", "\"method\":\"seasonal+trend\"",
                "\"horizonSeconds\":300");
        String metrics = app.get("/prometheus").body();
        assertThat(metrics).containsPattern("scaler_forecast_value\\{target=\"webapp\"} 1\\d\\d")
                .contains("scaler_forecast_error_ratio{target=\"shadow\"}");
        // the status page's forecast column, on the overview and the target's page
        assertThat(app.get("/").body()).containsPattern("<td class=\"forecast\">on<br>1\\d\\d(\\.\\d\\d)? within 300 s \\(seasonal\\+trend\\)")
                .contains("<td class=\"forecast\">forecast-only<br>");
        assertThat(app.get("/targets/" + ON).body()).contains("<td class=\"forecast\">on<br>");
    }

    Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put("scaler.prometheus.url", prometheus.url().toString());
        target(p, ON, compose, "on");
        target(p, SHADOW, shadow, "off");
        return p;
    }

    static void target(Map<String, Object> p, String name, ComposeProject project, String mode) {
        String t = "scaler.targets." + name + ".";
        p.put(t + "query", "max(webapp_load)");
        p.put(t + "compose-project", project.name());
        p.put(t + "compose-project-dir", project.dir().toString());
        p.put(t + "service", ComposeProject.SERVICE);
        p.put(t + "min-replicas", 1);
        p.put(t + "max-replicas", 3);
        p.put(t + "capacity-per-replica", 20);
        p.put(t + "predictive", mode);
        p.put(t + "predictive-history", "3d");
        p.put(t + "predictive-step", "1m");
        p.put(t + "predictive-horizon", "5m");
        p.put(t + "predictive-trend-window", "1m");
    }
}
