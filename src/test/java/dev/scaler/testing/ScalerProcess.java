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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Scaler as operators run it: a JVM of its own ({@code dev.scaler.Application}, this build's classes), so it
 * can be sent SIGTERM or killed with -9 and started again on the same database. Configured with system
 * properties; its log goes to a file.
 */
public final class ScalerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ScalerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Scaler with {@link ScalerApp#defaults} plus {@code properties}, and waits for its first answer. */
    public static ScalerProcess start(Path dataDir, Map<String, Object> properties, Path log) throws IOException {
        Object asked = properties.get("micronaut.server.port");
        int port = asked == null ? freePort() : Integer.parseInt(asked.toString());
        Map<String, Object> all = new TreeMap<>(ScalerApp.defaults(dataDir));
        all.putAll(properties);
        all.put("micronaut.server.port", port);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        all.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.scaler.Application");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("SCALER_"));
        ScalerProcess scaler = new ScalerProcess(builder.start(), port, log);
        Await.until("Scaler answering on port " + port + " (log " + log + ")", Duration.ofSeconds(60),
                () -> !scaler.process.isAlive() || scaler.status("/health") > 0);
        if (!scaler.process.isAlive()) {
            throw new IllegalStateException("Scaler exited at start-up with " + scaler.process.exitValue()
                    + ":\n" + scaler.logText());
        }
        return scaler;
    }

    /**
     * A port free now, for a server the test must name before it starts (a Scaler's advertised URL, an Alertmanager's
     * receiver, a Prometheus scrape target) or for an address where nothing answers. The only copy in the tests.
     */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** A GET with the test token ({@link Api#TOKEN}), which shows /health's details. */
    public HttpResponse<String> getAuthorized(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + Api.TOKEN).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as {@code docker stop} and systemd send. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook runs, children are orphaned. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Waits for the exit and returns how long it took from now, or throws when it did not exit within {@code limit}. */
    public Duration awaitExit(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("Scaler did not exit within " + limit + "; log:\n" + logText());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The exit code of a process that has exited. */
    public int exitCode() {
        return process.exitValue();
    }

    /** HTTP status of a GET, 0 when nothing answers. */
    public int status(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    public HttpResponse<String> get(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A POST with the test token ({@link Api#TOKEN}). */
    public HttpResponse<String> post(String path, String json) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + Api.TOKEN)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log not readable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
