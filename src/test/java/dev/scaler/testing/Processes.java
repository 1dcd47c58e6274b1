package dev.scaler.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command run to its end within a timeout, its output (stdout and stderr together) kept whole: through a file,
 * so a chatty command cannot block on a full pipe. Past the timeout its whole process tree is killed (a {@code
 * docker-compose} or {@code docker build} leaves children that would outlive the test).
 */
public final class Processes {

    private Processes() {
    }

    /** The exit code (-1 when timed out) and the output. */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code argv} in {@code dir} with {@code env} added, stdin from {@code input} (none when null). */
    public static Result run(Path dir, Map<String, String> env, Duration timeout, String input, List<String> argv) {
        try {
            Path log = Files.createTempFile("scaler-test-run", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().putAll(env);
                if (input == null) {
                    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                }
                Process p = builder.start();
                if (input != null) {
                    try (var stdin = p.getOutputStream()) {
                        stdin.write(input.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    return new Result(-1, "timed out after " + timeout.toSeconds() + "s: " + Files.readString(log));
                }
                return new Result(p.exitValue(), Files.readString(log));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", argv) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
