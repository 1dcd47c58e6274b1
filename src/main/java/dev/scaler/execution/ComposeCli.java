package dev.scaler.execution;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Which compose CLI this machine has, asked once and remembered: {@code v2} ({@code docker compose}) when
 * {@code docker compose version} succeeds, else {@code v1} ({@code docker-compose}). The same rule as the role's
 * {@code compose_scale_command: auto}, asked with the environment Ansible gets, so both see the same docker. Passing
 * the answer saves every playbook run that probe (a module run). A CLI installed or removed while Scaler runs is
 * seen after a restart.
 */
public class ComposeCli {

    private static final Logger LOG = LoggerFactory.getLogger(ComposeCli.class);
    /** What the role does when not told: detect on every run. */
    public static final String AUTO = "auto";
    private static final long TIMEOUT_SECONDS = 30;

    private final List<String> probe;
    private final Map<String, String> environment;
    private volatile String detected;

    /** @param environment the environment the probe runs with: the one every Ansible run gets */
    public ComposeCli(Map<String, String> environment) {
        this(List.of("docker", "compose", "version"), environment);
    }

    ComposeCli(List<String> probe, Map<String, String> environment) {
        this.probe = List.copyOf(probe);
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /**
     * {@code v2} or {@code v1}, detected on the first call; {@code auto} (the playbook detects for itself) while the
     * probe cannot run at all, and then it is tried again on the next call.
     */
    public String command() {
        String known = detected;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (detected == null) {
                detected = detect();
            }
            return detected == null ? AUTO : detected;
        }
    }

    private String detect() {
        ProcessBuilder builder = new ProcessBuilder(probe).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                LOG.warn("compose CLI not detected: {} took more than {}s; the playbook detects it", probe,
                        TIMEOUT_SECONDS);
                return null;
            }
            String command = process.exitValue() == 0 ? "v2" : "v1";
            LOG.info("compose CLI: {} ({} exited {})", command.equals("v2") ? "docker compose (v2)"
                    : "docker-compose (v1)", String.join(" ", probe), process.exitValue());
            return command;
        } catch (IOException e) {
            LOG.warn("compose CLI not detected: {} could not run ({}); the playbook detects it", probe, e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
