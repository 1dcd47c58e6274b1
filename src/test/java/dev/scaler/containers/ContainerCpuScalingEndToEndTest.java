package dev.scaler.containers;

import dev.scaler.history.DecisionRecord;
import dev.scaler.testing.Await;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Recorded;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import dev.scaler.testing.ScalerProps;
import dev.scaler.testing.ScalerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.scaler.containers.ContainerMetricsEndToEndTest.docker;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scaling on the containers' own CPU, with the real engine, playbook, Prometheus and application: Prometheus
 * scrapes Scaler's {@code scaler_container_cpu_ratio}, and a {@code container: cpu} metric of 0.7 per replica
 * (which Scaler turns into a query of that series) scales a compose service out while one container burns CPU,
 * and back in when it stops.
 */
class ContainerCpuScalingEndToEndTest {

    static final String TARGET = "cpuburner";

    @TempDir
    Path data;

    final Resources resources = new Resources();
    ComposeProject compose;

    @BeforeEach
    void realParts() throws Exception {
        RealParts.requireComposeScaling();
        compose = resources.track(ComposeProject.limited("scalercpu", 0.5, "64m"));
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    @Test
    void scalesOutWhileAContainerBurnsCpuAndBackInWhenItStops() throws Exception {
        compose.up(1);
        String burning = compose.containerIds().get(0);
        int port = ScalerProcess.freePort();
        PrometheusProcess prometheus = resources.track(PrometheusProcess.scrapingScaler("127.0.0.1:" + port));

        ScalerApp app = resources.track(ScalerApp.start(data, ScalerProps.on(prometheus)
                .set("micronaut.server.port", port).set("scaler.container-metrics.interval", "1s")
                .compose(TARGET, compose).set("service", ComposeProject.SERVICE).replicas(1, 3)
                .cooldowns("1s", "1s", "3s")
                // The rule of issue 14: CPU with a target of 0.7 per replica, no PromQL written.
                .set("metrics", List.of(Map.of("name", "cpu", "container", "cpu", "capacity-per-replica", "0.7")))
                .build()));

        // Burns until /tmp/stop exists: about 1.0 of its 0.5-CPU limit, so ceil(1.0 / 0.7) = 2 replicas.
        docker("exec", "-d", burning, "sh", "-c", "while [ ! -e /tmp/stop ]; do :; done");
        Await.until("scaled out to 2 on the containers' CPU", Duration.ofSeconds(120),
                () -> Recorded.succeeded(app, TARGET, 2));
        assertThat(compose.running()).isEqualTo(2);
        assertThat(Recorded.decisions(app, TARGET)).anyMatch(d -> d.outcome().equals("SCALE")
                && d.reason().contains("1 -> 2") && d.reason().contains("cpu"));

        docker("exec", burning, "sh", "-c", ": > /tmp/stop");
        Await.until("scaled back in to 1 once the burning stopped", Duration.ofSeconds(120),
                () -> Recorded.succeeded(app, TARGET, 1));
        assertThat(compose.running()).isEqualTo(1);
        for (DecisionRecord d : Recorded.decisions(app, TARGET)) {
            if (d.outcome().equals("SCALE")) {
                System.out.println("DECISION " + d.reason());
            }
        }
    }
}
