package dev.scaler.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scaler.fleet.AnsibleOutput;
import dev.scaler.testing.SecondLane;
import dev.scaler.testing.Await;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Recorded;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import dev.scaler.testing.ScalerProps;
import dev.scaler.testing.ScalerProcess;
import dev.scaler.testing.SshFleet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.scaler.containers.ContainerMetricsEndToEndTest.bytes;
import static dev.scaler.containers.ContainerMetricsEndToEndTest.docker;
import static dev.scaler.containers.ContainerMetricsEndToEndTest.dockerStats;
import static dev.scaler.containers.ContainerMetricsEndToEndTest.percent;
import static dev.scaler.containers.ContainerMetricsEndToEndTest.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Container metrics of a fleet target on real parts: two real sshd hosts on loopback addresses, each with its own
 * compose project (containers limited to 0.1 CPU and 64 MiB) on the real engine, the repository's fleet
 * playbooks, a real Prometheus scraping the real application. The per-host series agree with
 * {@code docker stats} for the same containers, and a {@code container: cpu} metric scales the fleet out while a
 * container burns CPU and back in when it stops.
 */
@SecondLane
class FleetContainerMetricsEndToEndTest {

    static final String TARGET = "fleetcpu";
    /** Small, so the busy loop reaches its limit even on a loaded shared machine (2 cores, load 10 and more). */
    static final double CPUS = 0.1;

    @TempDir
    Path data;

    final Resources resources = new Resources();
    SshFleet fleet;

    @BeforeEach
    void realParts() throws Exception {
        SshFleet.requireParts();
        RealParts.requireCommand("prometheus");
        fleet = resources.track(SshFleet.start(2));
        for (String h : fleet.hosts()) {
            Files.writeString(fleet.projectDir(h).resolve("docker-compose.yml"), """
                    version: "2.4"
                    services:
                      webapp:
                        image: scaler-test/busybox:latest
                        command: ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]
                        stop_grace_period: 1s
                        cpus: 0.1
                        mem_limit: 64m
                    """);
        }
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    /** The running containers of the host's project, by docker itself. */
    List<String> containers(String host) throws Exception {
        return docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + fleet.projectName(host),
                "--filter", "label=com.docker.compose.service=" + SshFleet.SERVICE, "--filter", "status=running")
                .lines().filter(l -> !l.isBlank()).toList();
    }

    int total() {
        return fleet.hosts().stream().mapToInt(fleet::running).sum();
    }

    static String name(String id) throws Exception {
        return ContainerMetricsEndToEndTest.name(id);
    }

    @Test
    void perHostSeriesAgreeWithDockerStatsAndTheFleetScalesOnItsContainersCpu() throws Exception {
        int port = ScalerProcess.freePort();
        PrometheusProcess prometheus = resources.track(PrometheusProcess.scrapingScaler("127.0.0.1:" + port));
        ScalerApp app = resources.track(ScalerApp.start(data, ScalerProps.on(prometheus)
                .set("micronaut.server.port", port).set("scaler.poll-interval", "2s")
                .set("scaler.execution.timeout", "4m").set("scaler.container-metrics.interval", "1s")
                .target(TARGET).set("fleet-group", SshFleet.GROUP).set("fleet-inventory", fleet.inventory().toString())
                .replicas(1, 2).cooldowns("1s", "1s", "3s")
                .set("metrics", List.of(Map.of("name", "cpu", "container", "cpu", "capacity-per-replica", "0.7")))
                .build()));

        Await.until("one replica (min-replicas) on the fleet", Duration.ofSeconds(180), () -> total() == 1);
        String host = fleet.hosts().stream().filter(h -> fleet.running(h) == 1).findFirst().orElseThrow();
        String other = fleet.hosts().stream().filter(h -> !h.equals(host)).findFirst().orElseThrow();
        String burning = containers(host).get(0);
        String burningName = name(burning);
        Await.until("the container's series on /prometheus with host=" + host, Duration.ofSeconds(120),
                () -> cpu(app, burningName) != null);

        // Burns until /tmp/stop exists: about 1.0 of its 0.1-CPU limit, so ceil(1.0 / 0.7) = 2 replicas.
        docker("exec", "-d", burning, "sh", "-c", "while [ ! -e /tmp/stop ]; do :; done");
        // A stats round is one playbook run over SSH: seconds on a quiet machine, 20 s and more on a loaded one.
        Await.until("the burning shows in the series", Duration.ofSeconds(180), () -> {
            ContainerMetricsEndToEndTest.Series s = cpu(app, burningName);
            System.out.println("BURNING cpu_ratio=" + (s == null ? "none" : s.value()));
            return s != null && s.value() > 0.7;
        });
        // Both are one-second readings, seconds apart (the series' comes through a playbook run); on a loaded
        // machine the loop does not always get its half core, so a pair may differ by chance: the first pair
        // that agrees within the tolerance is taken, and every pair is printed.
        JsonNode[] stats = new JsonNode[1];
        ContainerMetricsEndToEndTest.Series[] pair = new ContainerMetricsEndToEndTest.Series[2];
        Await.until("a scrape whose CPU and memory agree with docker stats", Duration.ofSeconds(180), () -> {
            try {
                stats[0] = dockerStats(burning).get(burningName);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            List<ContainerMetricsEndToEndTest.Series> exported = scrape(app);
            pair[0] = exported.stream().filter(s -> s.name().equals("scaler_container_cpu_ratio")
                    && burningName.equals(s.labels().get("container"))).findFirst().orElse(null);
            pair[1] = exported.stream().filter(s -> s.name().equals("scaler_container_memory_bytes")
                    && burningName.equals(s.labels().get("container"))).findFirst().orElse(null);
            if (pair[0] == null || pair[1] == null) {
                return false;
            }
            System.out.printf("COMPARE %s docker=%s scaler: cpu_ratio=%.3f memory_bytes=%.0f%n", burningName,
                    stats[0], pair[0].value(), pair[1].value());
            double dockerCpu = percent(stats[0].get("CPUPerc").asText()) / CPUS;
            long dockerMemory = bytes(stats[0].get("MemUsage").asText().split("/")[0]);
            return Math.abs(pair[0].value() - dockerCpu) <= 0.3
                    && Math.abs(pair[1].value() - dockerMemory) <= Math.max(512 * 1024.0, dockerMemory * 0.2);
        });
        ContainerMetricsEndToEndTest.Series cpu = pair[0];
        assertThat(cpu.labels()).containsEntry("target", TARGET).containsEntry("project", fleet.projectName(host))
                .containsEntry("service", SshFleet.SERVICE).containsEntry("container", burningName)
                .containsEntry("host", host);
        // The series reach Prometheus, with the host label, under the query a container metric becomes.
        String perHost = prometheus.awaitData("sum by (host) (scaler_container_cpu_ratio{target=\"" + TARGET + "\"})",
                Duration.ofSeconds(30));
        assertThat(perHost).contains("\"host\":\"" + host + "\"");

        Await.until("scaled out to 2, one per host, on the containers' CPU", Duration.ofSeconds(240),
                () -> fleet.running(host) == 1 && fleet.running(other) == 1);
        assertThat(Recorded.decisions(app, TARGET)).anyMatch(d -> d.outcome().equals("SCALE")
                && d.reason().contains("1 -> 2") && d.reason().contains("cpu"));
        String otherName = name(containers(other).get(0));
        Await.until("the new container's series with host=" + other, Duration.ofSeconds(120), () -> {
            ContainerMetricsEndToEndTest.Series s = cpu(app, otherName);
            return s != null && other.equals(s.labels().get("host"));
        });
        assertThat(cpu(app, otherName).value()).as("an idle container").isLessThan(0.1);

        docker("exec", burning, "sh", "-c", ": > /tmp/stop");
        Await.until("scaled back in to 1 once the burning stopped", Duration.ofSeconds(240), () -> total() == 1);
        String gone = containers(host).isEmpty() ? burningName : otherName;
        Await.until("the removed container's series gone", Duration.ofSeconds(120),
                () -> scrape(app).stream().noneMatch(s -> gone.equals(s.labels().get("container"))));
        for (var d : Recorded.decisions(app, TARGET)) {
            if (d.outcome().equals("SCALE")) {
                System.out.println("DECISION " + d.reason());
            }
        }
    }

    /** By hand, as an operator would: read-only (check mode too), and a bad name stops it naming the value. */
    @Test
    void thePlaybookReportsEachHostAndRefusesBadNames() throws Exception {
        fleet.scale(Map.of("h1", 2, "h2", 0));
        SshFleet.Run run = fleet.stats(SshFleet.GROUP, "--check");
        assertThat(run.exitCode()).as(run.output()).isZero();
        Map<String, Map<String, Object>> results = AnsibleOutput.of("scaler_stats", run.output()).results();
        assertThat(results).containsOnlyKeys("h1", "h2");
        assertThat((List<?>) results.get("h1").get("stats")).hasSize(2);
        assertThat((List<?>) results.get("h1").get("limits")).hasSize(2)
                .allMatch(l -> l.toString().endsWith(" 100000000 0 0"));
        assertThat((List<?>) results.get("h2").get("stats")).as("no container: docker stats not run").isEmpty();
        assertThat(run.recap().get("h1").changed()).isZero();
        for (Object line : (List<?>) results.get("h1").get("stats")) {
            assertThat(DockerStatsLine.parse(line.toString()).usage(CPUS)).isNotNull();
        }

        SshFleet.Run bad = fleet.stats("h1", "-e", "compose_scale_project_name=Bad;name");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.output()).contains("compose_stats_project_name must match ^[a-z0-9][a-z0-9_-]*$, got 'Bad;name'");
    }

    static ContainerMetricsEndToEndTest.Series cpu(ScalerApp app, String container) {
        return scrape(app).stream().filter(s -> s.name().equals("scaler_container_cpu_ratio")
                && container.equals(s.labels().get("container"))).findFirst().orElse(null);
    }
}
