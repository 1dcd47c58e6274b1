package dev.scaler.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scaler.testing.Await;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The real application on the real Docker engine: the {@code scaler_container_*} series on /prometheus for a
 * compose service's containers, one of them burning CPU through {@code docker exec}, agree with
 * {@code docker stats --no-stream} for the same containers; a removed container's series go.
 */
class ContainerMetricsEndToEndTest {

    static final String TARGET = "burner";
    static final double CPUS = 0.5;
    static final long MEMORY_LIMIT = 64L * 1024 * 1024;
    static final Pattern SAMPLE = Pattern.compile("^(scaler_container_\\w+)\\{([^}]*)\\}\\s+(\\S+)$");
    static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path data;

    final Resources resources = new Resources();
    ComposeProject compose;

    /** One exported sample. */
    record Series(String name, Map<String, String> labels, double value) {
    }

    @BeforeEach
    void realParts() throws Exception {
        RealParts.requireDocker();
        RealParts.requireCommand("docker-compose");
        compose = resources.track(ComposeProject.limited("scalerstats", CPUS, "64m"));
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    @Test
    void theSeriesAgreeWithDockerStatsAndGoWithTheirContainer() throws Exception {
        compose.up(2);
        List<String> ids = compose.containerIds();
        assertThat(ids).hasSize(2);
        String burning = ids.get(0);
        String idle = ids.get(1);
        String burningName = name(burning);
        String idleName = name(idle);
        // The loop runs in the container's cgroup, so its CPU limit applies: a ratio near 1.0 of 0.5 core.
        docker("exec", "-d", burning, "sh", "-c", "while :; do :; done");

        String t = "scaler.targets." + TARGET + ".";
        Map<String, Object> p = new HashMap<>();
        // No Prometheus and no scaling: the test is about the collector alone.
        p.put("scaler.prometheus.url", "http://127.0.0.1:9");
        p.put("scaler.poll-interval", "1h");
        p.put("scaler.dry-run", "true");
        p.put(t + "dry-run", "true");
        p.put(t + "service", ComposeProject.SERVICE);
        p.put("scaler.container-metrics.interval", "1s");
        p.put(t + "query", "vector(1)");
        p.put(t + "compose-project", compose.name());
        p.put(t + "compose-project-dir", compose.dir().toString());
        p.put(t + "min-replicas", 2);
        p.put(t + "max-replicas", 2);
        ScalerApp app = resources.track(ScalerApp.start(data, p));

        Await.until("CPU series of both containers, the burning one busy", Duration.ofSeconds(60), () -> {
            Map<String, Series> cpu = byContainer(scrape(app), "scaler_container_cpu_ratio");
            return cpu.containsKey(idleName) && cpu.containsKey(burningName)
                    && cpu.get(burningName).value() > 0.5 ? cpu : null;
        }, c -> String.valueOf(c));

        // docker stats and Scaler sample the burning loop over different seconds; on a busy machine its share of
        // CPU moves between them, so the pair is taken again (at most five times) until the two CPU figures agree
        Map<String, JsonNode> stats = dockerStats(burning, idle);
        List<Series> exported = scrape(app);
        for (int again = 0; again < 4 && cpuApart(stats, exported, burningName, 0.3); again++) {
            System.out.println("COMPARE again: the burning container's CPU moved between the two samples");
            stats = dockerStats(burning, idle);
            exported = scrape(app);
        }

        for (String id : List.of(burning, idle)) {
            String name = name(id);
            JsonNode s = stats.get(name);
            assertThat(s).as("docker stats of " + name).isNotNull();
            Series cpu = byContainer(exported, "scaler_container_cpu_ratio").get(name);
            assertThat(cpu.labels()).containsEntry("target", TARGET).containsEntry("project", compose.name())
                    .containsEntry("service", ComposeProject.SERVICE).containsEntry("container", name)
                    .containsEntry("host", ContainerRef.LOCAL);
            double dockerCpu = percent(s.get("CPUPerc").asText()) / CPUS;
            System.out.printf("COMPARE %s docker=%s scaler: cpu_ratio=%.3f memory_bytes=%.0f memory_ratio=%.4f"
                            + " rx=%.0f tx=%.0f read=%.0f write=%.0f%n", name, s, cpu.value(),
                    byContainer(exported, "scaler_container_memory_bytes").get(name).value(),
                    byContainer(exported, "scaler_container_memory_ratio").get(name).value(),
                    byContainer(exported, "scaler_container_network_receive_bytes_total").get(name).value(),
                    byContainer(exported, "scaler_container_network_transmit_bytes_total").get(name).value(),
                    byContainer(exported, "scaler_container_block_read_bytes_total").get(name).value(),
                    byContainer(exported, "scaler_container_block_write_bytes_total").get(name).value());
            assertThat(cpu.value()).as("CPU ratio of " + name + " against docker stats' " + s.get("CPUPerc"))
                    .isCloseTo(dockerCpu, within(id.equals(burning) ? 0.3 : 0.05));

            long dockerMemory = bytes(s.get("MemUsage").asText().split("/")[0]);
            double memory = byContainer(exported, "scaler_container_memory_bytes").get(name).value();
            assertThat(memory).as("memory of " + name + " against " + s.get("MemUsage"))
                    .isCloseTo(dockerMemory, within(Math.max(512 * 1024, dockerMemory * 0.2)));
            assertThat(byContainer(exported, "scaler_container_memory_ratio").get(name).value())
                    .as("memory ratio of " + name + " against " + s.get("MemPerc"))
                    .isCloseTo(percent(s.get("MemPerc").asText()), within(0.01))
                    .isCloseTo(memory / MEMORY_LIMIT, within(1e-6));

            String[] net = s.get("NetIO").asText().split("/");
            assertCounter(exported, "scaler_container_network_receive_bytes_total", name, bytes(net[0]), 4096);
            assertCounter(exported, "scaler_container_network_transmit_bytes_total", name, bytes(net[1]), 4096);
            String[] block = s.get("BlockIO").asText().split("/");
            assertCounter(exported, "scaler_container_block_read_bytes_total", name, bytes(block[0]), 1 << 20);
            assertCounter(exported, "scaler_container_block_write_bytes_total", name, bytes(block[1]), 1 << 20);
        }

        docker("rm", "-f", idle);
        Await.until("no series of the removed container", Duration.ofSeconds(30),
                () -> scrape(app).stream().noneMatch(s -> idleName.equals(s.labels().get("container"))));
        List<Series> after = scrape(app);
        assertThat(after.stream().filter(s -> burningName.equals(s.labels().get("container")))
                .map(Series::name).distinct()).containsExactlyInAnyOrder(
                "scaler_container_cpu_ratio", "scaler_container_memory_bytes", "scaler_container_memory_ratio",
                "scaler_container_network_receive_bytes_total", "scaler_container_network_transmit_bytes_total",
                "scaler_container_block_read_bytes_total", "scaler_container_block_write_bytes_total");
    }

    @Test
    void offMeansNoSeries() throws Exception {
        compose.up(1);
        String t = "scaler.targets." + TARGET + ".";
        Map<String, Object> p = new HashMap<>();
        p.put("scaler.prometheus.url", "http://127.0.0.1:9");
        p.put("scaler.poll-interval", "1h");
        p.put("scaler.container-metrics.enabled", "false");
        p.put("scaler.container-metrics.interval", "1s");
        p.put(t + "query", "vector(1)");
        p.put(t + "dry-run", "true");
        p.put(t + "service", ComposeProject.SERVICE);
        p.put(t + "compose-project", compose.name());
        p.put(t + "compose-project-dir", compose.dir().toString());
        ScalerApp app = resources.track(ScalerApp.start(data, p));
        // An absence can only be waited for: with sampling on, the first round (after 1 s, about 2 s per
        // container) would have exported series well within these 6 s.
        Await.sleep(6000);
        assertThat(scrape(app)).isEmpty();
        assertThat(app.bean(ContainerMetricsCollector.class).exported()).isEmpty();
    }

    static void assertCounter(List<Series> exported, String metric, String container, long docker, long slack) {
        double value = byContainer(exported, metric).get(container).value();
        assertThat(value).as(metric + " of " + container + " against docker stats' " + docker)
                .isCloseTo(docker, within(Math.max(slack, docker * 0.1)));
    }

    static Map<String, Series> byContainer(List<Series> all, String metric) {
        Map<String, Series> result = new HashMap<>();
        all.stream().filter(s -> s.name().equals(metric)).forEach(s -> result.put(s.labels().get("container"), s));
        return result;
    }

    static List<Series> scrape(ScalerApp app) {
        var response = app.get("/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        List<Series> series = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (m.matches()) {
                Map<String, String> labels = new HashMap<>();
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
                series.add(new Series(m.group(1), labels, Double.parseDouble(m.group(3))));
            }
        }
        return series;
    }

    /** {@code docker stats --no-stream} of the containers, by name. */
    static Map<String, JsonNode> dockerStats(String... ids) throws IOException {
        List<String> argv = new ArrayList<>(List.of("stats", "--no-stream", "--format", "{{json .}}"));
        argv.addAll(List.of(ids));
        Map<String, JsonNode> result = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : docker(argv.toArray(String[]::new)).split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = json.readTree(line);
                result.put(node.get("Name").asText(), node);
            }
        }
        return result;
    }

    /** Whether Scaler's CPU ratio of the container and docker stats' are further apart than {@code by}. */
    private static boolean cpuApart(Map<String, JsonNode> stats, List<Series> exported, String name, double by) {
        Series cpu = byContainer(exported, "scaler_container_cpu_ratio").get(name);
        JsonNode s = stats.get(name);
        return cpu != null && s != null && Math.abs(cpu.value() - percent(s.get("CPUPerc").asText()) / CPUS) > by;
    }

    static double percent(String text) {
        return Double.parseDouble(text.trim().replace("%", "")) / 100;
    }

    /** docker's sizes: decimal (kB, MB) for I/O, binary (KiB, MiB) for memory. */
    static long bytes(String text) {
        Matcher m = Pattern.compile("([0-9.]+)\\s*([A-Za-z]*)").matcher(text.trim());
        assertThat(m.matches()).as("a size: " + text).isTrue();
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "b", "" -> 1L;
            case "kb" -> 1000L;
            case "mb" -> 1000L * 1000;
            case "gb" -> 1000L * 1000 * 1000;
            case "kib" -> 1024L;
            case "mib" -> 1024L * 1024;
            case "gib" -> 1024L * 1024 * 1024;
            default -> throw new AssertionError("unknown unit in " + text);
        };
        return Math.round(n * unit);
    }

    static String name(String id) throws IOException {
        return docker("inspect", "--format", "{{.Name}}", id).trim().replaceFirst("^/", "");
    }

    static String docker(String... args) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add("docker");
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", argv) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return out;
    }
}
