package dev.scaler.alerts;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.testing.AlertmanagerProcess;
import dev.scaler.testing.Api;
import dev.scaler.testing.Await;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Recorded;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import dev.scaler.testing.ScalerProcess;
import dev.scaler.testing.ScalerProps;
import dev.scaler.testing.TestExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof of the webhook: a real Prometheus evaluates a real alerting rule on a real exporter's gauge, a real
 * Alertmanager 0.25 sends the notification with a bearer token to the real application, which decides and scales a
 * compose project on the real Docker engine through the repository's playbook. The loop's own poll interval is an
 * hour, so only the alert can cause the evaluation.
 */
class AlertmanagerEndToEndTest {

    static final String TARGET = "webapp";
    static final String RULES = """
            groups:
              - name: scaler-test
                rules:
                  - alert: WebappLoadHigh
                    expr: webapp_load > 20
                    for: 0s
                    labels:
                      scaler_target: webapp
                    annotations:
                      summary: "webapp load {{ $value }} is above 20"
            """;

    @TempDir
    Path data;
    final Resources resources = new Resources();

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    @Test
    void aRealAlertCausesADecisionAndTheScaleUpAndItsResolveAReEvaluation() throws IOException {
        RealParts.requireComposeScaling();
        RealParts.require(Files.isExecutable(Path.of(AlertmanagerProcess.BINARY)), AlertmanagerProcess.BINARY);

        ComposeProject compose = resources.track(new ComposeProject("scaleralert"));
        compose.up(1);
        TestExporter exporter = resources.track(TestExporter.start());
        exporter.set("webapp_load", 5);
        int port = ScalerProcess.freePort();
        AlertmanagerProcess alertmanager = resources.track(AlertmanagerProcess.start(
                URI.create("http://127.0.0.1:" + port + "/api/alerts"), Api.TOKEN));
        Path rules = data.resolve("scaler-rules.yml");
        Files.writeString(rules, RULES);
        PrometheusProcess prometheus = resources.track(PrometheusProcess.start(List.of(exporter.address()),
                List.of(rules), List.of(alertmanager.address())));
        prometheus.awaitData("webapp_load", Duration.ofSeconds(30));

        // only the alert can cause an evaluation: no tick for an hour
        Map<String, Object> p = ScalerProps.on(prometheus).noTicks().apiToken().set("micronaut.server.port", port)
                .compose(TARGET, compose).query("webapp_load").replicas(1, 4).capacity(10)
                .cooldowns("0s", "0s", "0s").build();
        ScalerApp app = resources.track(ScalerApp.start(data.resolve("app"), p));

        Await.sleep(3000);
        assertThat(history(app)).as("no alert, no tick: nothing evaluated").isEmpty();

        exporter.set("webapp_load", 35);
        Await.until("Prometheus' alert to reach Scaler and be decided on", Duration.ofSeconds(60),
                () -> decisions(app, "-alert-WebappLoadHigh").size() >= 1);
        DecisionRecord up = decisions(app, "-alert-WebappLoadHigh").get(0);
        assertThat(up.outcome()).as(up.reason()).isEqualTo("SCALE");
        assertThat(up.finalReplicas()).isEqualTo(4);
        assertThat(up.metricValue()).isEqualTo(35.0);
        Await.until("4 replicas running", Duration.ofSeconds(120), () -> compose.running() == 4);
        Await.until("the scale-up recorded", Duration.ofSeconds(60), () -> actions(app).stream()
                .anyMatch(a -> a.result().equals("SUCCEEDED") && a.toReplicas() == 4));

        exporter.set("webapp_load", 5);
        Await.until("the resolved alert to cause a re-evaluation", Duration.ofSeconds(60),
                () -> decisions(app, "-alert-WebappLoadHigh-resolved").size() >= 1);
        DecisionRecord resolved = decisions(app, "-alert-WebappLoadHigh-resolved").get(0);
        assertThat(resolved.metricValue()).isEqualTo(5.0);
        assertThat(resolved.outcome()).as(resolved.reason()).isEqualTo("SCALE");
        assertThat(resolved.finalReplicas()).isEqualTo(1);
        Await.until("back to 1 replica", Duration.ofSeconds(120), () -> compose.running() == 1);
        Await.until("the scale-down recorded", Duration.ofSeconds(60), () -> actions(app).stream()
                .anyMatch(a -> a.result().equals("SUCCEEDED") && a.toReplicas() == 1));

        Await.sleep(3000);
        assertThat(history(app)).as("one decision per notification; every decision came from an alert: %s",
                        history(app).stream().map(DecisionRecord::tickId).toList())
                .hasSize(2).allMatch(d -> d.tickId().contains("-alert-WebappLoadHigh"));
    }

    static List<DecisionRecord> history(ScalerApp app) {
        return Recorded.decisions(app, TARGET);
    }

    static List<DecisionRecord> decisions(ScalerApp app, String tickPart) {
        return history(app).stream().filter(d -> d.tickId().endsWith(tickPart)).toList();
    }

    static List<ActionRecord> actions(ScalerApp app) {
        return Recorded.actions(app, TARGET);
    }
}
