package dev.scaler.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * A server binary for tests (Prometheus, Alertmanager): started in a temp dir of its own on 127.0.0.1 and a free
 * port, waited for until {@code /-/ready} answers 200, and stopped by {@link #close()} or, if a test never gets that
 * far, by a JVM shutdown hook. Its output goes to {@code <name>.log} in the temp dir, and the error of a failed start
 * carries the log's tail. The temp dir is deleted on a clean stop.
 */
final class ServerProcess implements AutoCloseable {

    private static final int START_ATTEMPTS = 3;

    /** Writes the config files into the fresh temp dir. */
    interface Setup {
        void write(Path dir) throws IOException;
    }

    /** The command line, given the temp dir and the port to listen on. */
    interface Command {
        List<String> argv(Path dir, int port);
    }

    private final String name;
    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread shutdownHook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServerProcess(String name, Process process, Path dir, int port) {
        this.name = name;
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.shutdownHook = new Thread(process::destroyForcibly, name + "-" + port + "-killer");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code name} and waits until it is ready. A start that fails is tried again on another port (at most
     * three times): the free port picked may have been taken in between.
     */
    static ServerProcess start(String name, Setup setup, Command command, Duration readyWithin) {
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(name, setup, command, readyWithin);
            } catch (IllegalStateException e) {
                failure = e;
            }
        }
        throw failure;
    }

    private static ServerProcess startOnce(String name, Setup setup, Command command, Duration readyWithin) {
        Path dir;
        try {
            dir = Files.createTempDirectory("scaler-" + name + "-");
            setup.write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the " + name + " temp dir", e);
        }
        int port = ScalerProcess.freePort();
        List<String> argv = command.argv(dir, port);
        Process process;
        try {
            process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv.get(0) + "; is it installed? (scripts/test-env.sh)", e);
        }
        ServerProcess server = new ServerProcess(name, process, dir, port);
        try {
            server.awaitReady(readyWithin);
            return server;
        } catch (RuntimeException e) {
            String log = server.logTail(30);
            server.kill();
            throw new IllegalStateException(name + " did not become ready on port " + port + ": " + e.getMessage()
                    + "\n--- " + server.logFile() + " ---\n" + log, e);
        }
    }

    int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    URI url() {
        return URI.create("http://" + address());
    }

    Path dir() {
        return dir;
    }

    Path logFile() {
        return dir.resolve(name + ".log");
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Polls {@code /-/ready} until it answers 200. */
    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue());
            }
            if (get("/-/ready").status() == 200) {
                return;
            }
            Await.sleep(200);
        }
        throw new IllegalStateException("not ready after " + timeout);
    }

    /** One GET; status -1 when nothing answered. */
    Answer get(String pathAndQuery) {
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

    /** The last lines of the process' output. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL after 10 seconds; deletes the temp dir. Safe to call twice. */
    void stop() {
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

    /** SIGKILL and wait for the process to be gone. The temp dir is kept (its log, for a failure's report). */
    void kill() {
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

    /** Status and body of one HTTP answer; status -1 when there was no answer. */
    record Answer(int status, String body) {
    }
}
