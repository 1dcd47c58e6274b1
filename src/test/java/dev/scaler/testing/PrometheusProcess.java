package dev.scaler.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
 * On a clean stop the temp dir is deleted; if the process fails to start, the error carries the log's tail.
 */
public final class PrometheusProcess implements AutoCloseable {

    /** Scrape and rule evaluation interval. */
    public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread shutdownHook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.shutdownHook = new Thread(process::destroyForcibly, "prometheus-" + port + "-killer");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
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
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(targets, ruleFiles, alertmanagers);
            } catch (IllegalStateException e) {
                // Most likely the free port we picked was taken in between; try another one.
                failure = e;
            }
        }
        throw failure;
    }

    private static PrometheusProcess startOnce(List<String> targets, List<Path> ruleFiles, List<String> alertmanagers) {
        Path dir;
        try {
            dir = Files.createTempDirectory("scaler-prometheus-");
            List<String> rules = new ArrayList<>();
            for (Path rule : ruleFiles) {
                Path copy = dir.resolve("rules-" + rules.size() + "-" + rule.getFileName());
                Files.copy(rule, copy);
                rules.add(copy.toString());
            }
            Files.writeString(dir.resolve("prometheus.yml"), config(targets, rules, alertmanagers));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Prometheus temp dir", e);
        }
        int port = freePort();
        Process process;
        try {
            process = new ProcessBuilder("prometheus",
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=info")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run prometheus; is it installed? (scripts/test-env.sh)", e);
        }
        PrometheusProcess prometheus = new PrometheusProcess(process, dir, port);
        try {
            prometheus.awaitReady(START_TIMEOUT);
            return prometheus;
        } catch (RuntimeException e) {
            String log = prometheus.logTail(30);
            prometheus.kill();
            throw new IllegalStateException("prometheus did not become ready on port " + port + ": " + e.getMessage()
                    + "\n--- " + prometheus.logFile() + " ---\n" + log, e);
        }
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
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Where stdout and stderr of the process go. */
    public Path logFile() {
        return dir.resolve("prometheus.log");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Polls {@code /-/ready} until it answers 200. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with status " + process.exitValue());
            }
            if (get("/-/ready").status() == 200) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("not ready after " + timeout);
    }

    /**
     * Polls an instant query until its result is not empty (for example until the first scrape of a new metric
     * is in), and returns the last raw JSON body.
     */
    public String awaitData(String promql, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String body = "";
        while (Instant.now().isBefore(deadline)) {
            Answer answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
            body = answer.body();
            if (answer.status() == 200 && !body.contains("\"result\":[]")) {
                return body;
            }
            pause();
        }
        throw new AssertionError("query " + promql + " returned no data within " + timeout + "; last answer: " + body);
    }

    /** SIGTERM, then SIGKILL after 10 seconds; deletes the temp dir. Safe to call twice. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        removeShutdownHook();
        deleteDir();
    }

    /** SIGKILL and wait for the process to be gone: simulates Prometheus dying. The temp dir is kept. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeShutdownHook();
    }

    @Override
    public void close() {
        stop();
    }

    private Answer get(String pathAndQuery) {
        try {
            HttpRequest request = HttpRequest.newBuilder(url().resolve(pathAndQuery)).timeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, "(no answer: " + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Already shutting down, or already removed.
        }
    }

    private void deleteDir() {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp dir is not worth failing a test for.
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Status and body of one HTTP answer; status -1 when there was no answer. */
    private record Answer(int status, String body) {
    }
}
