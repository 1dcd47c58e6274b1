package dev.scaler.alerts;

import dev.scaler.history.HistoryStore;
import dev.scaler.testing.Api;
import dev.scaler.testing.Await;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook on the real application, fed payloads shaped like Alertmanager 0.25's. The loop never ticks on its
 * own (1h), so every decision in history was caused by an alert. AlertmanagerEndToEndTest sends real ones.
 */
class AlertWebhookTest {

    @TempDir
    Path data;
    final Resources resources = new Resources();
    ScalerApp app;

    @BeforeEach
    void start() {
        RealParts.requireDocker();
        app = resources.track(ScalerApp.start(data, Api.quietTarget(data, Map.of("scaler.api.token", Api.TOKEN))));
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    static String alert(String name, String status, String target, String fingerprint, String startsAt) {
        return """
                {"status":"%s","labels":{"alertname":"%s","scaler_target":"%s","severity":"page"},
                 "annotations":{"summary":"load is high"},"startsAt":"%s","endsAt":"0001-01-01T00:00:00Z",
                 "generatorURL":"http://prometheus/graph","fingerprint":"%s"}""".formatted(status, name, target,
                startsAt, fingerprint);
    }

    static String payload(String status, String... alerts) {
        return """
                {"version":"4","groupKey":"{}:{alertname=\\"HighLoad\\"}","truncatedAlerts":0,"status":"%s",
                 "receiver":"scaler","groupLabels":{"alertname":"HighLoad"},"commonLabels":{},"commonAnnotations":{},
                 "externalURL":"http://alertmanager:9093","alerts":[%s]}""".formatted(status, String.join(",", alerts));
    }

    long decisionsFor(String tickPart) {
        return app.bean(HistoryStore.class).recent("webapp", 1000).stream()
                .filter(e -> e.decision().tickId().contains(tickPart)).count();
    }

    @Test
    void badPayloadsGetA4xxNamingTheProblemAndActOnNothing() {
        record Case(String body, int status, String says) {
        }
        List<Case> cases = List.of(
                new Case("{\"version\":\"4\",", 400, "not a valid Alertmanager payload"),
                new Case("[1,2]", 400, "not a valid Alertmanager payload"),
                new Case("", 400, "body: empty"),
                new Case(payload("firing", alert("HighLoad", "firing", "webapp", "f1", "2026-01-01T00:00:00Z"))
                        .replace("\"version\":\"4\"", "\"version\":\"3\""), 400, "version: '3' is not supported"),
                new Case("{\"status\":\"firing\",\"alerts\":[]}", 400, "version: missing"),
                new Case("{\"version\":\"4\",\"status\":\"firing\"}", 400, "alerts: missing"),
                new Case(payload("firing", alert("HighLoad", "pending", "webapp", "f1", "2026-01-01T00:00:00Z")), 400,
                        "alerts[0].status: 'pending'"),
                new Case(payload("firing", alert("HighLoad", "firing", "webapp", "f1", "2026-01-01T00:00:00Z")
                        .replace("\"page\"", "\"" + "x".repeat(300_000) + "\"")), 413, "scaler.api.max-alert-body"));
        for (Case c : cases) {
            HttpResponse<String> r = Api.post(app, "/api/alerts", c.body());
            assertThat(r.statusCode()).as("%s -> %s", abbreviate(c.body()), r.body()).isEqualTo(c.status());
            assertThat(r.body()).as(abbreviate(c.body())).contains("\"status\":" + c.status()).contains(c.says());
        }
        HttpResponse<String> huge = Api.post(app, "/api/alerts", "{\"x\":\"" + "y".repeat(2_000_000) + "\"}");
        assertThat(huge.statusCode()).as("over the server's own limit: %s", huge.body()).isEqualTo(413);
        Await.sleep(1000);
        assertThat(app.bean(HistoryStore.class).recent("webapp", 10)).isEmpty();
    }

    @Test
    void aFiringAlertTriggersOneEvaluationAndItsResendsNone() {
        String firing = payload("firing",
                alert("HighLoad", "firing", "webapp", "a1", "2026-01-01T00:00:00Z"),
                alert("HighLatency", "firing", "webapp", "a2", "2026-01-01T00:00:01Z"),
                alert("HighLoad", "firing", "nosuchtarget", "a3", "2026-01-01T00:00:00Z"),
                "{\"status\":\"firing\",\"labels\":{\"alertname\":\"Other\"},\"startsAt\":\"2026-01-01T00:00:00Z\",\"fingerprint\":\"a4\"}");
        HttpResponse<String> first = Api.post(app, "/api/alerts", firing);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(first.body()).contains("\"received\":4").contains("\"target\":\"webapp\"")
                .contains("\"alerts\":[\"HighLoad\",\"HighLatency\"]").contains("\"tickReason\":\"alert-HighLoad\"")
                .contains("\"unknownTargets\":[\"nosuchtarget\"]").contains("\"withoutTarget\":1")
                .contains("\"duplicates\":0");
        Await.until("the alert's evaluation recorded", Duration.ofSeconds(30), () -> decisionsFor("-alert-HighLoad") == 1);

        HttpResponse<String> resend = Api.post(app, "/api/alerts", firing);
        assertThat(resend.statusCode()).isEqualTo(202);
        assertThat(resend.body()).contains("\"evaluations\":[]").contains("\"duplicates\":2");

        String resolved = payload("resolved",
                alert("HighLoad", "resolved", "webapp", "a1", "2026-01-01T00:00:00Z"),
                alert("HighLatency", "resolved", "webapp", "a2", "2026-01-01T00:00:01Z"));
        HttpResponse<String> r = Api.post(app, "/api/alerts", resolved);
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).contains("\"status\":\"resolved\"").contains("\"tickReason\":\"alert-HighLoad-resolved\"");
        Await.until("the re-evaluation on resolve recorded", Duration.ofSeconds(30),
                () -> decisionsFor("-alert-HighLoad-resolved") == 1);
        assertThat(Api.post(app, "/api/alerts", resolved).body()).contains("\"duplicates\":2");

        // the same alert firing again later is a new notification (new startsAt), acted on
        HttpResponse<String> again = Api.post(app, "/api/alerts", payload("firing",
                alert("HighLoad", "firing", "webapp", "a1", "2026-01-01T01:00:00Z")));
        assertThat(again.body()).contains("\"tickReason\":\"alert-HighLoad\"");
        Await.until("the second firing's evaluation recorded", Duration.ofSeconds(30),
                () -> decisionsFor("-alert-HighLoad") == 3);
        Await.sleep(1500);
        assertThat(app.bean(HistoryStore.class).recent("webapp", 100)).as("nothing else evaluated").hasSize(3);
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
