package dev.scaler.loop;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target with two metrics through the whole loop (real Prometheus, the real app, the playbook, a compose project
 * on the real Docker engine): a threshold-band latency metric judged on range data, and a tracking CPU metric whose
 * series does not exist yet. The failing CPU metric does not stop the latency band from scaling out; it does stop
 * the scale-in until it reports again.
 */
class BandsEndToEndTest {

    static final String TARGET = "webapp";

    @RegisterExtension
    static final ScrapedExporter metrics = ScrapedExporter.perRun();

    @TempDir
    Path data;

    final Resources resources = new Resources();
    ComposeProject compose;
    TestExporter exporter;
    PrometheusProcess prometheus;

    @BeforeEach
    void realParts() throws Exception {
        RealParts.requireComposeScaling();
        compose = resources.track(new ComposeProject("scalerbands"));
        exporter = metrics.exporter();
        prometheus = metrics.prometheus();
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    @Test
    void aFailingMetricBlocksScaleInButNotScaleOut() {
        exporter.set("webapp_latency_seconds", 0.9);
        prometheus.awaitData("webapp_latency_seconds", Duration.ofSeconds(30));
        compose.up(1);
        ScalerApp app = resources.track(ScalerApp.start(data, properties()));

        Await.until("scaled out to 3 on latency while cpu is missing", Duration.ofSeconds(180),
                () -> recorded(app, 3));
        assertThat(decisions(app)).anyMatch(d -> d.outcome().equals("SCALE")
                && d.reason().contains("latency 0.900, above 0.500") && d.reason().contains("cpu EMPTY"));

        exporter.set("webapp_latency_seconds", 0.1);
        Await.until("scale-in blocked by the failing cpu metric", Duration.ofSeconds(90),
                () -> decisions(app).stream().anyMatch(d -> d.outcome().equals("HOLD")
                        && d.reason().contains("scale-down blocked") && d.reason().contains("below 0.200")
                        && d.reason().contains("cpu EMPTY")));
        assertThat(actions(app)).noneMatch(a -> a.toReplicas() < a.fromReplicas());
        assertThat(compose.running()).isEqualTo(3);

        exporter.set("webapp_cpu_seconds", 0.1);
        Await.until("scaled in once cpu reports again", Duration.ofSeconds(180), () -> recorded(app, 2));
        assertThat(decisions(app)).anyMatch(d -> d.outcome().equals("SCALE") && d.reason().contains("scale down 3 -> 2")
                && d.reason().contains("largest: latency -> 2"));
    }

    Map<String, Object> properties() {
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("name", "latency");
        latency.put("query", "max(webapp_latency_seconds)");
        latency.put("out-threshold", "0.5");
        latency.put("out-duration", "4s");
        latency.put("in-threshold", "0.2");
        latency.put("in-duration", "6s");
        latency.put("step-out", "2");
        latency.put("resolution", "1s");
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("name", "cpu");
        cpu.put("query", "max(webapp_cpu_seconds)");
        cpu.put("capacity-per-replica", "0.5");
        return ScalerProps.on(prometheus).compose(TARGET, compose).replicas(1, 3).cooldowns("1s", "1s", "0s")
                .set("metrics", List.of(latency, cpu)).build();
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
