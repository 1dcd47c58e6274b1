package dev.scaler.execution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Temporary compose projects on the real Docker engine, each with a unique name. */
public final class TestProjects {

    public static final String COMPOSE_FILE = """
            version: "2.4"
            services:
              web:
                image: scaler-test/busybox:latest
                command: ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]
            """;

    private TestProjects() {
    }

    /** Unique per run, so concurrent test runs on this engine never touch each other's containers. */
    public static String uniqueName() {
        return "scalerit" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    public static Path createDirectory() throws IOException {
        Path directory = Files.createTempDirectory("scalerit-");
        Files.writeString(directory.resolve("docker-compose.yml"), COMPOSE_FILE);
        return directory;
    }

    /** Removes only this project's containers and network, then its directory. */
    public static void down(String project, Path directory) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("docker-compose", "-p", project, "down", "-t", "0")
                .directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        process.waitFor(120, TimeUnit.SECONDS);
        Files.deleteIfExists(directory.resolve("docker-compose.yml"));
        Files.deleteIfExists(directory);
    }

    public static Path repositoryRoot() {
        return Path.of("").toAbsolutePath();
    }
}
