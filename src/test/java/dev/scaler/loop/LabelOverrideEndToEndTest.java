package dev.scaler.loop;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.history.HistoryStore;
import dev.scaler.testing.Await;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
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

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A label on the compose service ({@code scaler.max: "2"}) caps scaling below the policy file's max, on the
 * real Docker engine, with the real playbook, Prometheus and application.
 */
class LabelOverrideEndToEndTest {

    @RegisterExtension
    static final ScrapedExporter metrics = ScrapedExporter.perRun().quietWhen(ScalingEndToEndTest.QUERY + " == 0");

    @TempDir
    Path data;

    final Resources resources = new Resources();
    ComposeProject compose;
    TestExporter exporter;
    PrometheusProcess prometheus;

    @BeforeEach
    void realParts() throws Exception {
        RealParts.requireComposeScaling();
        compose = resources.track(new ComposeProject("scalerlabel", Map.of("scaler.max", "2")));
        exporter = metrics.exporter();
        prometheus = metrics.prometheus();
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    @Test
    void aServiceLabelCapsScalingBelowThePolicyFilesMax() throws Exception {
        compose.up(1);
        Path policy = Files.writeString(data.resolve("policy.yml"), """
                targets:
                  webapp:
                    query: %s
                    compose-project: %s
                    compose-project-dir: %s
                    max-replicas: 4
                    capacity-per-replica: 10
                    scale-up-cooldown: 1s
                    scale-down-cooldown: 1h
                """.formatted(ScalingEndToEndTest.QUERY, compose.name(), compose.dir()));
        ScalerApp app = resources.track(ScalerApp.start(data, ScalerProps.on(prometheus)
                .set("scaler.policy-file", policy.toString()).build()));

        try (LoadGenerator load = new LoadGenerator(URI.create("http://" + exporter.address() + "/hit"), 35)) {
            Await.until("a scale to the label's max of 2 recorded", Duration.ofSeconds(120),
                    () -> ScalingEndToEndTest.recorded(app, 2));
            Await.until("a decision held at 2 while the load wants 4", Duration.ofSeconds(60), () -> decisions(app)
                    .stream().anyMatch(d -> d.outcome().equals("HOLD") && d.raw() != null
                            && d.raw() >= 3 && d.observed() != null && d.observed() == 2));
        }
        assertThat(compose.running()).isEqualTo(2);
        assertThat(ScalingEndToEndTest.actions(app)).extracting(ActionRecord::toReplicas).allMatch(to -> to <= 2);
        assertThat(decisions(app)).filteredOn(d -> d.outcome().equals("SCALE")).isNotEmpty()
                .allMatch(d -> d.reason().contains("labels: max-replicas=2 (scaler.max)"));
        assertThat(app.get("/api/targets").body()).contains("\"maxReplicas\":4")
                .contains("\"effectiveMaxReplicas\":2").contains("\"effectiveMinReplicas\":1")
                .contains("\"labelOverrides\":[\"max-replicas=2 (scaler.max)\"]");
    }

    static List<DecisionRecord> decisions(ScalerApp app) {
        return ScalingEndToEndTest.history(app).stream().map(HistoryStore.HistoryEntry::decision).toList();
    }
}
