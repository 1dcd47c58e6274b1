package dev.scaler.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real {@code prometheus} binary for tests, listening on 127.0.0.1 and a free port, scraping the given
 * targets every second. Config, TSDB and the process' output ({@code prometheus.log}) live in a temp dir.
 *
 * <pre>{@code
 * RealParts.requireCommand("prometheus");
 * try (TestExporter exporter = TestExporter.start();
 *      PrometheusProcess prometheus = PrometheusProcess.start(List.of(exporter.address()))) {
 *     exporter.set("webapp_load", 12.5);
 *     prometheus.awaitData("webapp_load", Duration.ofSeconds(20));
 *     URI url = prometheus.url();
 * }
 * }</pre>
 *
 * The process is stopped by {@link #close()}, and by a JVM shutdown hook if a test never gets that far.
 * On a clean stop the temp dir is deleted; if the process fails to start, the error carries the log's tail
 * ({@link ServerProcess}, shared with {@link AlertmanagerProcess}).
 */
public final class PrometheusProcess implements AutoCloseable {

    /** Scrape and rule evaluation interval. */
    public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final ServerProcess server;

    private PrometheusProcess(ServerProcess server) {
        this.server = server;
    }

    /** Starts Prometheus scraping {@code targets} ({@code host:port}) and waits until it is ready. */
    public static PrometheusProcess start(List<String> targets) {
        return start(targets, List.of());
    }

    /**
     * Starts Prometheus scraping {@code targets} with extra rule files (copied into the temp dir, evaluated every
     * second) and waits until it is ready.
     */
    public static PrometheusProcess start(List<String> targets, List<Path> ruleFiles) {
        return start(targets, ruleFiles, List.of());
    }

    /** As above, sending alerts to the Alertmanagers at {@code alertmanagers} ({@code host:port}). */
    public static PrometheusProcess start(List<String> targets, List<Path> ruleFiles, List<String> alertmanagers) {
        return new PrometheusProcess(ServerProcess.start("prometheus", dir -> {
            List<String> rules = new ArrayList<>();
            for (Path rule : ruleFiles) {
                Path copy = dir.resolve("rules-" + rules.size() + "-" + rule.getFileName());
                Files.copy(rule, copy);
                rules.add(copy.toString());
            }
            Files.writeString(dir.resolve("prometheus.yml"), config(targets, rules, alertmanagers));
        }, (dir, port) -> List.of("prometheus",
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=info"), START_TIMEOUT));
    }

    /** Starts Prometheus scraping a Scaler at {@code hostPort} on its own {@code /prometheus} path. */
    public static PrometheusProcess scrapingScaler(String hostPort) {
        return new PrometheusProcess(ServerProcess.start("prometheus", dir -> Files.writeString(
                dir.resolve("prometheus.yml"), config(List.of(hostPort), List.of(), List.of())
                        + "    metrics_path: /prometheus\n"),
                (dir, port) -> List.of("prometheus",
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=info"), START_TIMEOUT));
    }

    /**
     * Starts Prometheus scraping {@code targets} on a TSDB that already holds {@code openMetrics} (OpenMetrics text,
     * ending in {@code # EOF}): written into blocks with {@code promtool tsdb create-blocks-from openmetrics} before
     * the server starts, the way an operator backfills history.
     */
    public static PrometheusProcess startWithHistory(List<String> targets, String openMetrics) {
        return new PrometheusProcess(ServerProcess.start("prometheus", dir -> {
            Files.writeString(dir.resolve("prometheus.yml"), config(targets, List.of(), List.of()));
            if (!Files.exists(dir.resolve("data"))) {
                Path file = dir.resolve("history.om");
                Files.writeString(file, openMetrics);
                Process promtool = new ProcessBuilder("promtool", "tsdb", "create-blocks-from", "openmetrics",
                        file.toString(), dir.resolve("data").toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("promtool.log").toFile()).start();
                try {
                    if (promtool.waitFor() != 0) {
                        throw new IOException("promtool tsdb create-blocks-from openmetrics failed: "
                                + Files.readString(dir.resolve("promtool.log")));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }, (dir, port) -> List.of("prometheus",
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--storage.tsdb.retention.time=30d",
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=info"), START_TIMEOUT));
    }

    private static String config(List<String> targets, List<String> ruleFiles, List<String> alertmanagers) {
        String seconds = SCRAPE_INTERVAL.toSeconds() + "s";
        StringBuilder yaml = new StringBuilder()
                .append("global:\n")
                .append("  scrape_interval: ").append(seconds).append('\n')
                .append("  scrape_timeout: ").append(seconds).append('\n')
                .append("  evaluation_interval: ").append(seconds).append('\n');
        if (!ruleFiles.isEmpty()) {
            yaml.append("rule_files:\n");
            ruleFiles.forEach(f -> yaml.append("  - '").append(f).append("'\n"));
        }
        if (!alertmanagers.isEmpty()) {
            yaml.append("alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: [")
                    .append(alertmanagers.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")))
                    .append("]\n");
        }
        yaml.append("scrape_configs:\n")
                .append("  - job_name: test\n")
                .append("    static_configs:\n")
                .append("      - targets: [")
                .append(targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")))
                .append("]\n");
        return yaml.toString();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** Where stdout and stderr of the process go. */
    public Path logFile() {
        return server.logFile();
    }

    public boolean isAlive() {
        return server.isAlive();
    }

    /** Polls {@code /-/ready} until it answers 200. */
    public void awaitReady(Duration timeout) {
        server.awaitReady(timeout);
    }

    /**
     * Polls an instant query until its result is not empty (for example until the first scrape of a new metric
     * is in), and returns the last raw JSON body.
     */
    public String awaitData(String promql, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String body = "";
        while (Instant.now().isBefore(deadline)) {
            ServerProcess.Answer answer = server.get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
            body = answer.body();
            if (answer.status() == 200 && !body.contains("\"result\":[]")) {
                return body;
            }
            Await.sleep(200);
        }
        throw new AssertionError("query " + promql + " returned no data within " + timeout + "; last answer: " + body);
    }

    /** SIGTERM, then SIGKILL after 10 seconds; deletes the temp dir. Safe to call twice. */
    public void stop() {
        server.stop();
    }

    /** SIGKILL and wait for the process to be gone: simulates Prometheus dying. The temp dir is kept. */
    public void kill() {
        server.kill();
    }

    @Override
    public void close() {
        stop();
    }
}
