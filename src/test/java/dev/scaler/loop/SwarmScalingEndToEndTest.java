package dev.scaler.loop;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.testing.Api;
import dev.scaler.testing.Await;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Recorded;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import dev.scaler.testing.ScrapedExporter;
import dev.scaler.testing.SecondLane;
import dev.scaler.testing.SwarmCluster;
import dev.scaler.testing.TestExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop with a swarm target against real parts: a real prometheus scraping a real exporter, the real
 * application, ansible/swarm_scale.yml run by ansible-playbook, and a service on a real single-node swarm.
 */
@SecondLane
class SwarmScalingEndToEndTest {

    static final String TARGET = "shop";
    static final String QUERY = "sum(rate(webapp_requests_total[5s]))";

    /** One Prometheus for the class; each test starts once the last one's load has left the 5 s rate window. */
    @RegisterExtension
    static final ScrapedExporter metrics = ScrapedExporter.perClass().quietWhen(QUERY + " == 0");

    @TempDir
    Path data;

    final Resources resources = new Resources();
    SwarmCluster swarm;
    /** The service "web" with one task, made by the tests that scale it (creating a service takes seconds). */
    String service;
    TestExporter exporter;
    PrometheusProcess prometheus;

    @BeforeEach
    void realParts() throws Exception {
        RealParts.requireCommand("ansible-playbook");
        RealParts.requireCommand("prometheus");
        swarm = resources.track(SwarmCluster.open("scalerswe2e"));
        exporter = metrics.exporter();
        prometheus = metrics.prometheus();
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    Map<String, Object> target(Map<String, Object> overrides) {
        String t = "scaler.targets." + TARGET + ".";
        Map<String, Object> p = new HashMap<>();
        p.put("scaler.prometheus.url", prometheus.url().toString());
        p.put(t + "query", QUERY);
        if (service != null) {
            p.put(t + "swarm-service", service);
        }
        p.put(t + "min-replicas", 1);
        p.put(t + "max-replicas", 4);
        p.put(t + "capacity-per-replica", 10);
        p.put(t + "scale-up-cooldown", "1s");
        p.put(t + "scale-down-cooldown", "6s");
        p.put(t + "scale-down-stabilization", "3s");
        p.put(t + "retry-initial", "2s");
        p.put(t + "retry-max", "4s");
        overrides.forEach((k, v) -> p.put(k.startsWith("scaler.") ? k : t + k, v));
        return p;
    }

    @Test
    void loadScalesTheServiceUpAndIdleScalesItDown() {
        service = swarm.createService("web", 1);
        ScalerApp app = resources.track(ScalerApp.start(data, target(Map.of())));

        try (LoadGenerator load = new LoadGenerator(URI.create("http://" + exporter.address() + "/hit"), 35)) {
            // The service converges before the playbook's last task: wait for the run to be recorded.
            Await.until("the scale-up to 4 recorded", Duration.ofSeconds(180), () -> recorded(app, 4));
            assertThat(swarm.running(service)).isEqualTo(4);
            assertThat(swarm.desired(service)).isEqualTo(4);
            Await.until("the API to show 4 observed", Duration.ofSeconds(30),
                    () -> app.get("/api/targets").body().contains("\"observed\":4"));
        }
        Await.until("the scale-down to 1 recorded", Duration.ofSeconds(180), () -> recorded(app, 1));
        assertThat(swarm.desired(service)).isEqualTo(1);
        Await.until("1 task running", Duration.ofSeconds(60), () -> swarm.running(service) == 1);

        ActionRecord up = actions(app).stream().filter(a -> a.toReplicas() == 4).findFirst().orElseThrow();
        assertThat(up.outputTail()).contains("\\\"service\\\": \\\"" + service + "\\\"").contains("\\\"running\\\": 4");
        var api = app.get("/api/targets");
        assertThat(api.body()).contains("\"service\":\"" + service + "\"").doesNotContain("composeProject");
        var history = app.get("/api/history?target=" + TARGET + "&limit=50");
        assertThat(history.statusCode()).isEqualTo(200);
        assertThat(history.body()).contains("\"result\":\"SUCCEEDED\"");
    }

    @Test
    void fewerTasksRunningThanSetIsObservedAndRecordedWithWhy() {
        // Only two of three tasks can run here: the third stays pending, as after a crash on a full node.
        String starved = swarm.createServiceOfWhichTwoFit("starved", 3);
        Await.until("two tasks running", Duration.ofSeconds(90), () -> swarm.running(starved) == 2);
        ScalerApp app = resources.track(ScalerApp.start(data, target(Map.of("swarm-service", starved,
                "min-replicas", 3, "max-replicas", 3, "scale-up-cooldown", "60s"))));

        Await.until("a decision on 2 running with the swarm note", Duration.ofSeconds(60),
                () -> decisions(app).stream().anyMatch(d -> Integer.valueOf(2).equals(d.observed())
                        && d.reason().endsWith("; swarm: 2 of 3 tasks running (swarm is starting the rest)")));
        Await.until("the restore to 3 recorded", Duration.ofSeconds(90), () -> recorded(app, 3));

        ActionRecord restore = actions(app).get(0);
        assertThat(restore.fromReplicas()).isEqualTo(2);
        // The service is already set to 3: the playbook changes nothing and swarm keeps trying.
        assertThat(restore.outputTail()).contains("changed=0").contains("\\\"before\\\": 3, \\\"wanted\\\": 3");
        assertThat(swarm.desired(starved)).isEqualTo(3);
    }

    @Test
    void aManualScaleThroughTheApiScalesTheServiceAndIsRecorded() {
        service = swarm.createService("web", 1);
        // no tick runs in this test: only the API call can scale
        ScalerApp app = resources.track(ScalerApp.start(data, target(Map.of("scaler.poll-interval", "1h",
                "scaler.initial-delay", "1h", "scaler.api.token", Api.TOKEN))));

        HttpResponse<String> refused = Api.post(app, "/api/targets/" + TARGET + "/scale", Api.bearer("wrong"),
                "{\"replicas\": 3}");
        assertThat(refused.statusCode()).isEqualTo(401);
        HttpResponse<String> done = Api.post(app, "/api/targets/" + TARGET + "/scale",
                "{\"replicas\": 3, \"reason\": \"pre-warm for the sale\"}");

        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("\"result\":\"SUCCEEDED\"");
        assertThat(swarm.desired(service)).isEqualTo(3);
        Await.until("3 tasks running", Duration.ofSeconds(90), () -> swarm.running(service) == 3);
        assertThat(actions(app)).singleElement().satisfies(a -> {
            assertThat(a.fromReplicas()).isEqualTo(1);
            assertThat(a.toReplicas()).isEqualTo(3);
        });
        assertThat(decisions(app)).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("manual scale by API from 1 to 3: pre-warm for the sale"));
    }

    @Test
    void aLabelOnTheSwarmServiceWinsOverThePolicy() {
        String capped = swarm.createService("capped", 1, "scaler.max=2");
        ScalerApp app = resources.track(ScalerApp.start(data, target(Map.of("swarm-service", capped))));

        try (LoadGenerator load = new LoadGenerator(URI.create("http://" + exporter.address() + "/hit"), 35)) {
            Await.until("the scale-up to 2 recorded", Duration.ofSeconds(180), () -> recorded(app, 2));
            Await.until("a decision at the label's cap", Duration.ofSeconds(60), () -> decisions(app).stream()
                    .anyMatch(d -> d.outcome().equals("HOLD") && d.reason().contains("at max-replicas 2")));
        }
        assertThat(actions(app)).noneMatch(a -> a.toReplicas() > 2);
        assertThat(decisions(app)).anyMatch(d -> d.reason().contains("labels: max-replicas=2 (scaler.max)"));
    }

    @Test
    void aMissingServiceHoldsAndRecordsWhy() {
        ScalerApp app = resources.track(ScalerApp.start(data, target(Map.of("swarm-service", "scalerswe2e-nosuch"))));

        Await.until("a decision naming the missing service", Duration.ofSeconds(60),
                () -> decisions(app).stream().anyMatch(d -> d.reason().contains(
                        "could not count running tasks of swarm service 'scalerswe2e-nosuch': no such service")));
        assertThat(decisions(app)).allMatch(d -> d.observed() == null && !d.outcome().equals("SCALE"));
        assertThat(actions(app)).isEmpty();
    }

    static List<DecisionRecord> decisions(ScalerApp app) {
        return Recorded.decisions(app, TARGET);
    }

    static List<ActionRecord> actions(ScalerApp app) {
        return Recorded.actions(app, TARGET);
    }

    static boolean recorded(ScalerApp app, int replicas) {
        return Recorded.succeeded(app, TARGET, replicas);
    }
}
