package dev.scaler.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Alertmanager ({@value #BINARY}) for tests, on 127.0.0.1 and a free port, clustering off, routing every
 * alert to one webhook receiver with a bearer token, fast: group_wait and group_interval 1s, resolved alerts sent.
 * Config, storage and the process' output ({@code alertmanager.log}) live in a temp dir, deleted on a clean stop.
 *
 * <pre>{@code
 * try (AlertmanagerProcess am = AlertmanagerProcess.start(app.uri("/api/alerts"), "token");
 *      PrometheusProcess prometheus = PrometheusProcess.start(List.of(exporter.address()), List.of(rules),
 *              List.of(am.address()))) {
 *     ...
 * }
 * }</pre>
 */
public final class AlertmanagerProcess implements AutoCloseable {

    public static final String BINARY = "/usr/bin/prometheus-alertmanager";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread shutdownHook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AlertmanagerProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.shutdownHook = new Thread(process::destroyForcibly, "alertmanager-" + port + "-killer");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts Alertmanager sending to {@code webhook} with {@code Authorization: Bearer token}; waits until ready. */
    public static AlertmanagerProcess start(URI webhook, String token) {
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return startOnce(webhook, token);
            } catch (IllegalStateException e) {
                // most likely the free port was taken in between; try another
                failure = e;
            }
        }
        throw failure;
    }

    static String config(URI webhook, String token) {
        return """
                route:
                  receiver: scaler
                  group_by: ['alertname', 'scaler_target']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: scaler
                    webhook_configs:
                      - url: '%s'
                        send_resolved: true
                        http_config:
                          authorization:
                            type: Bearer
                            credentials: '%s'
                """.formatted(webhook, token);
    }

    private static AlertmanagerProcess startOnce(URI webhook, String token) {
        Path dir;
        try {
            dir = Files.createTempDirectory("scaler-alertmanager-");
            Files.writeString(dir.resolve("alertmanager.yml"), config(webhook, token));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Alertmanager temp dir", e);
        }
        int port = freePort();
        Process process;
        try {
            process = new ProcessBuilder(BINARY,
                    "--config.file=" + dir.resolve("alertmanager.yml"),
                    "--storage.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    // no cluster: a test instance must not gossip with anything
                    "--cluster.listen-address=",
                    "--log.level=debug")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("alertmanager.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + BINARY + "; is it installed? (scripts/test-env.sh)", e);
        }
        AlertmanagerProcess am = new AlertmanagerProcess(process, dir, port);
        try {
            am.awaitReady(START_TIMEOUT);
            return am;
        } catch (RuntimeException e) {
            String log = am.logTail(30);
            am.stop();
            throw new IllegalStateException("alertmanager did not become ready on port " + port + ": "
                    + e.getMessage() + "\n--- alertmanager.log ---\n" + log, e);
        }
    }

    /** {@code 127.0.0.1:port}, as Prometheus' alerting config wants it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public URI url() {
        return URI.create("http://" + address());
    }

    /** The last lines of the process' log, for assertion messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(dir.resolve("alertmanager.log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("alertmanager exited with status " + process.exitValue());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url().resolve("/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            Await.sleep(200);
        }
        throw new IllegalStateException("not ready after " + timeout);
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
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or already removed
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir is not worth failing a test for
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
