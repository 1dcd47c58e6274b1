package dev.scaler.control;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.loop.ScalingLoop;
import dev.scaler.testing.Api;
import dev.scaler.testing.Await;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Recorded;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import dev.scaler.testing.ScalerProps;
import dev.scaler.testing.ScrapedExporter;
import dev.scaler.testing.TestExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Manual scale, pause and resume, and the dry-run override, against a real compose project scaled by the
 * repository's playbook, a real Prometheus reading a real exporter's gauge {@code webapp_load}.
 */
class ManualControlEndToEndTest {

    static final String TARGET = "webapp";

    @RegisterExtension
    static final ScrapedExporter metrics = ScrapedExporter.perRun().gauge("webapp_load", 0);

    @TempDir
    Path data;
    final Resources resources = new Resources();
    ComposeProject compose;
    TestExporter exporter;
    PrometheusProcess prometheus;

    @BeforeEach
    void realParts() throws Exception {
        RealParts.requireComposeScaling();
        compose = resources.track(new ComposeProject("scalerctl"));
        exporter = metrics.exporter();
        prometheus = metrics.prometheus();
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    /** Ticking every second (ScalerApp's default) or not at all: then only the test's API calls evaluate. */
    Map<String, Object> props(boolean ticking, Map<String, Object> overrides) {
        ScalerProps p = ScalerProps.on(prometheus).apiToken().compose(TARGET, compose).query("webapp_load")
                .replicas(1, 4).capacity(10).cooldowns("0s", "0s", "0s");
        return (ticking ? p : p.noTicks()).setAll(overrides).build();
    }

    static List<ActionRecord> actions(ScalerApp app) {
        return Recorded.actions(app, TARGET);
    }

    static List<DecisionRecord> decisionsSaying(ScalerApp app, String text) {
        return Recorded.decisions(app, TARGET).stream().filter(d -> d.reason().contains(text)).toList();
    }

    @Test
    void aManualScaleRunsThePlaybookIsRecordedAndTheLoopDoesNotUndoIt() {
        compose.up(1);
        ScalerApp app = resources.track(ScalerApp.start(data, props(true, Map.of("scale-down-stabilization", "600s"))));
        Await.until("the loop to hold at 1 on no load", Duration.ofSeconds(30), () -> Recorded.entries(app, TARGET).size() >= 2);

        record Case(String body, int status, String says) {
        }
        for (Case c : List.of(
                new Case("{}", 400, "replicas: missing"),
                new Case("{\"replicas\": 9}", 400, "replicas: 9 is outside 1..4, the bounds of target 'webapp'"),
                new Case("{\"replicas\": 0}", 400, "1..4"),
                new Case("{\"replicas\": \"three\"}", 400, "replicas: the string \\\"three\\\" is not a number"),
                new Case("{\"replicas\": 3", 400, "body: not valid JSON"),
                new Case("", 400, "body: empty"))) {
            HttpResponse<String> r = Api.post(app, "/api/targets/webapp/scale", c.body());
            assertThat(r.statusCode()).as("%s -> %s", c.body(), r.body()).isEqualTo(c.status());
            assertThat(r.body()).as(c.body()).contains(c.says());
        }
        assertThat(Api.post(app, "/api/targets/nope/scale", "{\"replicas\": 2}").statusCode()).isEqualTo(404);
        assertThat(compose.running()).isEqualTo(1);

        HttpResponse<String> scaled = Api.post(app, "/api/targets/webapp/scale",
                "{\"replicas\": 3, \"reason\": \"launch at noon\"}");
        assertThat(scaled.statusCode()).as(scaled.body()).isEqualTo(200);
        assertThat(scaled.body()).contains("\"fromReplicas\":1").contains("\"toReplicas\":3")
                .contains("\"result\":\"SUCCEEDED\"").contains("\"dryRun\":false");
        assertThat(compose.running()).isEqualTo(3);
        DecisionRecord manual = decisionsSaying(app, "manual scale by API from 1 to 3: launch at noon").get(0);
        assertThat(manual.tickId()).endsWith("-manual");
        assertThat(manual.outcome()).isEqualTo("SCALE");
        assertThat(Recorded.entries(app, TARGET).stream().filter(e -> e.decision().id().equals(manual.id())).findFirst().orElseThrow()
                .actions()).singleElement().satisfies(a -> {
                    assertThat(a.result()).isEqualTo("SUCCEEDED");
                    assertThat(a.fromReplicas()).isEqualTo(1);
                    assertThat(a.toReplicas()).isEqualTo(3);
                });

        Await.until("the loop to see no load and hold because of the manual scale", Duration.ofSeconds(30),
                () -> decisionsSaying(app, "scale-down stabilization").size() >= 3);
        assertThat(compose.running()).as("the loop did not undo the manual scale").isEqualTo(3);
        assertThat(actions(app)).as("only the manual action ran").hasSize(1);
    }

    @Test
    void aPausedTargetDecidesButDoesNotActAcrossARestartAndActsOnResume() {
        compose.up(1);
        exporter.set("webapp_load", 35);
        prometheus.awaitData("webapp_load > 30", Duration.ofSeconds(30));
        ScalerApp first = ScalerApp.start(data, props(false, Map.of()));
        try {
            HttpResponse<String> paused = Api.post(first, "/api/targets/webapp/pause",
                    "{\"reason\": \"database migration\"}");
            assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
            assertThat(paused.body()).contains("\"paused\":true").contains("\"pausedReason\":\"database migration\"");
        } finally {
            first.close();
        }

        ScalerApp app = resources.track(ScalerApp.start(data, props(true, Map.of())));
        assertThat(app.get("/api/targets/webapp").body()).as("the pause survived the restart")
                .contains("\"paused\":true").contains("\"pausedReason\":\"database migration\"");
        Await.until("several decisions to scale, none executed", Duration.ofSeconds(40),
                () -> decisionsSaying(app, "paused by API (database migration): nothing is executed").stream()
                        .filter(d -> d.outcome().equals("SCALE") && d.finalReplicas() == 4).count() >= 3);
        assertThat(actions(app)).isEmpty();
        assertThat(compose.running()).isEqualTo(1);
        assertThat(app.get("/api/targets/webapp").body()).contains("\"desired\":4").contains("paused by API");

        HttpResponse<String> resumed = Api.post(app, "/api/targets/webapp/resume", null);
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.body()).contains("\"paused\":false");
        Await.until("4 replicas once resumed", Duration.ofSeconds(120), () -> compose.running() == 4);
        Await.until("the scale-up recorded", Duration.ofSeconds(60),
                () -> actions(app).stream().anyMatch(a -> a.result().equals("SUCCEEDED") && a.toReplicas() == 4));
    }

    @Test
    void theDryRunOverrideDecidesAndRecordsWithoutExecutingUntilTurnedOff() {
        compose.up(1);
        exporter.set("webapp_load", 35);
        prometheus.awaitData("webapp_load > 30", Duration.ofSeconds(30));
        ScalerApp app = resources.track(ScalerApp.start(data, props(false, Map.of())));
        ScalingLoop loop = app.bean(ScalingLoop.class);

        assertThat(Api.post(app, "/api/targets/webapp/dry-run", "{}").body()).contains("enabled: missing");
        HttpResponse<String> on = Api.post(app, "/api/targets/webapp/dry-run", "{\"enabled\": true}");
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        assertThat(app.get("/api/targets/webapp").body()).contains("\"dryRun\":true").contains("\"dryRunOverride\":true");

        HttpResponse<String> manual = Api.post(app, "/api/targets/webapp/scale", "{\"replicas\": 2}");
        assertThat(manual.body()).contains("\"result\":\"DRY_RUN\"").contains("\"dryRun\":true");
        loop.evaluateNow(TARGET, "test").orElseThrow().join();
        assertThat(actions(app)).extracting(ActionRecord::result).containsOnly("DRY_RUN").hasSize(2);
        assertThat(compose.running()).isEqualTo(1);

        assertThat(Api.post(app, "/api/targets/webapp/dry-run", "{\"enabled\": false}").body())
                .contains("\"dryRunOverride\":false");
        assertThat(app.get("/api/targets/webapp").body()).contains("\"dryRun\":false");
        loop.evaluateNow(TARGET, "test").orElseThrow().join();
        assertThat(compose.running()).isEqualTo(4);
        assertThat(actions(app)).anyMatch(a -> a.result().equals("SUCCEEDED") && a.toReplicas() == 4);
    }
}
