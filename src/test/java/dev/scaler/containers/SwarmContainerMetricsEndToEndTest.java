package dev.scaler.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scaler.testing.Await;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import dev.scaler.testing.SecondLane;
import dev.scaler.testing.SwarmCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.scaler.containers.ContainerMetricsEndToEndTest.byContainer;
import static dev.scaler.containers.ContainerMetricsEndToEndTest.bytes;
import static dev.scaler.containers.ContainerMetricsEndToEndTest.docker;
import static dev.scaler.containers.ContainerMetricsEndToEndTest.dockerStats;
import static dev.scaler.containers.ContainerMetricsEndToEndTest.percent;
import static dev.scaler.containers.ContainerMetricsEndToEndTest.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The tasks of a swarm service on this node (the engine as a single-node swarm): their series carry the swarm
 * service and an empty project, agree with {@code docker stats}, and go when the service is scaled in.
 */
@SecondLane
class SwarmContainerMetricsEndToEndTest {

    static final String TARGET = "swarmstats";

    @TempDir
    Path data;

    final Resources resources = new Resources();
    SwarmCluster swarm;

    @BeforeEach
    void realParts() {
        swarm = resources.track(SwarmCluster.open("scalerswstats"));
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    @Test
    void theTasksOnThisNodeAreSampledAndGoWhenScaledIn() throws Exception {
        String service = swarm.createService("web", 2);
        Map<String, Object> p = new HashMap<>();
        p.put("scaler.prometheus.url", "http://127.0.0.1:9");
        p.put("scaler.poll-interval", "1h");
        p.put("scaler.container-metrics.interval", "1s");
        String t = "scaler.targets." + TARGET + ".";
        p.put(t + "query", "vector(1)");
        p.put(t + "swarm-service", service);
        p.put(t + "dry-run", "true");
        ScalerApp app = resources.track(ScalerApp.start(data, p));

        Map<String, ContainerMetricsEndToEndTest.Series> cpu = Await.until("CPU series of both tasks",
                Duration.ofSeconds(60), () -> {
                    var c = byContainer(scrape(app), "scaler_container_cpu_ratio");
                    return c.size() == 2 ? c : null;
                }, String::valueOf);
        List<String> ids = docker("ps", "-q", "--no-trunc", "--filter", "label=com.docker.swarm.service.name=" + service)
                .lines().filter(l -> !l.isBlank()).toList();
        Map<String, JsonNode> stats = dockerStats(ids.toArray(String[]::new));
        assertThat(cpu.keySet()).isEqualTo(stats.keySet());
        var exported = scrape(app);
        for (var e : cpu.entrySet()) {
            assertThat(e.getValue().labels()).containsEntry("target", TARGET).containsEntry("service", service)
                    .containsEntry("project", "");
            JsonNode s = stats.get(e.getKey());
            // No CPU limit: a ratio of one core, which is docker stats' CPU % over 100.
            assertThat(e.getValue().value()).isCloseTo(percent(s.get("CPUPerc").asText()), within(0.05));
            long dockerMemory = bytes(s.get("MemUsage").asText().split("/")[0]);
            assertThat(byContainer(exported, "scaler_container_memory_bytes").get(e.getKey()).value())
                    .isCloseTo(dockerMemory, within(Math.max(512 * 1024, dockerMemory * 0.2)));
            System.out.println("COMPARE " + e.getKey() + " docker=" + s + " scaler cpu_ratio=" + e.getValue().value()
                    + " memory_bytes=" + byContainer(exported, "scaler_container_memory_bytes").get(e.getKey()).value());
        }

        swarm.scale(service, 1);
        Await.until("the series of one task only", Duration.ofSeconds(60), () -> {
            Set<String> left = scrape(app).stream().map(s -> s.labels().get("container"))
                    .collect(Collectors.toSet());
            return left.size() == 1 && cpu.containsKey(left.iterator().next());
        });
    }
}
