package dev.scaler.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway compose project with one service, {@code webapp}, running busybox httpd from the
 * locally built image (no registry needed). Each instance has its own project name, so tests never
 * touch each other's containers; {@link #close()} removes everything it made.
 */
public final class ComposeProject implements AutoCloseable {

    public static final String SERVICE = "webapp";

    private final Path dir;
    private final String name;

    public ComposeProject(String prefix) throws IOException {
        this(prefix, Map.of());
    }

    /** A project whose service carries {@code labels} (compose copies them onto every container). */
    public ComposeProject(String prefix, Map<String, String> labels) throws IOException {
        this(prefix, labels, "[\"/bin/httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]");
    }

    /** A project whose every container exits at once, as in a crash loop: none ever counts as running. */
    public static ComposeProject crashing(String prefix) throws IOException {
        return new ComposeProject(prefix, Map.of(), "[\"/bin/sh\", \"-c\", \"exit 1\"]");
    }

    /**
     * A project whose containers have a CPU limit ({@code cpus}, in cores) and a memory limit ({@code mem_limit},
     * like 64m), as the container-metrics tests need.
     */
    public static ComposeProject limited(String prefix, double cpus, String memory) throws IOException {
        return new ComposeProject(prefix, Map.of(), "[\"/bin/httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]",
                "    cpus: " + cpus + "\n    mem_limit: " + memory + "\n");
    }

    private ComposeProject(String prefix, Map<String, String> labels, String command) throws IOException {
        this(prefix, labels, command, "");
    }

    private ComposeProject(String prefix, Map<String, String> labels, String command, String extra)
            throws IOException {
        this.name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        this.dir = Files.createTempDirectory(name);
        StringBuilder labelLines = new StringBuilder();
        if (!labels.isEmpty()) {
            labelLines.append("    labels:\n");
            new TreeMap<>(labels).forEach((k, v) -> labelLines.append("      ").append(k).append(": \"").append(v)
                    .append("\"\n"));
        }
        Files.writeString(dir.resolve("docker-compose.yml"), """
                version: "3.8"
                services:
                  webapp:
                    image: scaler-test/busybox:latest
                    command: %s
                    stop_grace_period: 1s
                """.formatted(command) + extra + labelLines, StandardCharsets.UTF_8);
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    /** Starts {@code replicas} containers of the service directly with docker-compose (the test's own hand). */
    public void up(int replicas) {
        run("docker-compose", "-p", name, "up", "-d", "--scale", SERVICE + "=" + replicas, SERVICE);
    }

    /** Running containers of the service, counted with the docker CLI: independent of Scaler's own observer. */
    public int running() {
        String out = run("docker", "ps", "-q", "--filter", "label=com.docker.compose.project=" + name,
                "--filter", "label=com.docker.compose.service=" + SERVICE, "--filter", "status=running");
        return (int) out.lines().filter(l -> !l.isBlank()).count();
    }

    /** The ids of the service's running containers, from the docker CLI. */
    public List<String> containerIds() {
        return run("docker", "ps", "-q", "--no-trunc", "--filter", "label=com.docker.compose.project=" + name,
                "--filter", "label=com.docker.compose.service=" + SERVICE, "--filter", "status=running")
                .lines().filter(l -> !l.isBlank()).toList();
    }

    /** Removes one running container, as a crash or an operator would. */
    public void removeOne() {
        String id = run("docker", "ps", "-q", "--filter", "label=com.docker.compose.project=" + name,
                "--filter", "label=com.docker.compose.service=" + SERVICE).lines().findFirst().orElseThrow();
        run("docker", "rm", "-f", id);
    }

    /** Kills one running container, as an out-of-memory kill would: it stays, exited. */
    public void killOne() {
        String id = run("docker", "ps", "-q", "--filter", "label=com.docker.compose.project=" + name,
                "--filter", "label=com.docker.compose.service=" + SERVICE, "--filter", "status=running")
                .lines().findFirst().orElseThrow();
        run("docker", "kill", id);
    }

    /**
     * Takes the project down. docker-compose (Python) takes seconds to start, so it runs only when the engine has a
     * container or network of the project: one the test never brought up, and Scaler never scaled, has neither.
     */
    @Override
    public void close() {
        try {
            String label = "label=com.docker.compose.project=" + name;
            if (!run("docker", "ps", "-aq", "--filter", label).isBlank()
                    || !run("docker", "network", "ls", "-q", "--filter", label).isBlank()) {
                run("docker-compose", "-p", name, "down", "-t", "0", "--remove-orphans");
            }
        } catch (RuntimeException e) {
            // best effort: a failed test must still be able to clean up what it can
        }
    }

    private String run(String... argv) {
        try {
            Process p = new ProcessBuilder(List.of(argv)).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", argv) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
