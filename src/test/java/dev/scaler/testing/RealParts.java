package dev.scaler.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Guards for tests that need a real part (Docker engine, prometheus, ansible-playbook, PostgreSQL).
 * Under {@code SCALER_REAL_PARTS=required} (set by scripts/test.sh, so always in CI) a missing part
 * fails the test; elsewhere it skips it, so a laptop without Docker can still run the unit tests.
 */
public final class RealParts {

    /** Set once the engine and the test image were found: they do not go away during a run. */
    private static volatile boolean dockerFound;

    private RealParts() {
    }

    public static boolean required() {
        return "required".equals(System.getenv("SCALER_REAL_PARTS"));
    }

    public static void require(boolean present, String what) {
        if (required() && !present) {
            throw new AssertionError(what + " is required (SCALER_REAL_PARTS=required) but is missing;"
                    + " run scripts/test-env.sh");
        }
        Assumptions.assumeTrue(present, what + " is not available; run scripts/test-env.sh");
    }

    public static void requireCommand(String command) {
        require(commandExists(command), "the command '" + command + "'");
    }

    /** A running Docker engine with the test image: asked with the docker CLI until found, then not again. */
    public static void requireDocker() {
        if (dockerFound) {
            return;
        }
        requireCommand("docker");
        require(runsOk("docker", "info"), "a running Docker engine");
        require(runsOk("docker", "image", "inspect", "scaler-test/busybox:latest"), "the image scaler-test/busybox");
        dockerFound = true;
    }

    /**
     * What a Scaler scaling a compose project needs besides itself: the engine, ansible-playbook (the repository's
     * playbook), docker-compose (which the playbook and the test's {@link ComposeProject} run) and prometheus.
     */
    public static void requireComposeScaling() {
        requireDocker();
        requireCommand("ansible-playbook");
        requireCommand("prometheus");
        requireCommand("docker-compose");
    }

    /** JDBC URL of the test PostgreSQL started by scripts/test-env.sh. */
    public static String requirePostgres() {
        String url = System.getenv().getOrDefault("SCALER_TEST_POSTGRES_URL",
                "jdbc:postgresql://127.0.0.1:5432/scaler_test");
        require(portOpen("127.0.0.1", 5432), "PostgreSQL on 127.0.0.1:5432");
        return url;
    }

    public static boolean commandExists(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    public static boolean runsOk(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static boolean portOpen(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
