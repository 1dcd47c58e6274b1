package dev.scaler.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The local Docker engine as a single-node swarm, and throwaway services on it running busybox httpd
 * from the locally built image (no registry). {@link #open()} makes the engine a swarm manager when it
 * is not one yet and leaves it so: other tests share the engine, compose works on a manager too, and
 * leaving a swarm this fixture did not create would break whoever did. Each service gets a unique
 * name; {@link #close()} removes the services this instance created, nothing else.
 */
public final class SwarmCluster implements AutoCloseable {

    private final String prefix;
    private final List<String> services = new ArrayList<>();

    private SwarmCluster(String prefix) {
        this.prefix = prefix;
    }

    /** A swarm on the local engine; service names start with {@code prefix} plus a random part. */
    public static SwarmCluster open(String prefix) {
        RealParts.requireDocker();
        if (!"active".equals(run("docker", "info", "--format", "{{.Swarm.LocalNodeState}}").strip())) {
            // 127.0.0.1: a single node needs no reachable address, and the machine may have several.
            run("docker", "swarm", "init", "--advertise-addr", "127.0.0.1");
        }
        if (!"true".equals(run("docker", "info", "--format", "{{.Swarm.ControlAvailable}}").strip())) {
            throw new IllegalStateException("the local Docker engine is in a swarm but not a manager");
        }
        return new SwarmCluster(prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8));
    }

    /** Creates a replicated service and waits until its tasks run; returns its name. */
    public String createService(String suffix, int replicas, String... labels) {
        String name = prefix + "-" + suffix;
        List<String> argv = new ArrayList<>(List.of("docker", "service", "create", "--detach=false", "--quiet",
                "--name", name, "--no-resolve-image", "--replicas", Integer.toString(replicas),
                "--stop-grace-period", "1s"));
        for (String label : labels) {
            argv.add("--label");
            argv.add(label);
        }
        argv.addAll(List.of("scaler-test/busybox:latest", "/bin/httpd", "-f", "-p", "8080", "-h", "/www"));
        services.add(name);
        run(argv.toArray(String[]::new));
        return name;
    }

    /**
     * Creates a service of which only two tasks can ever run: each reserves half the node's CPUs, so
     * swarm keeps the rest pending ("insufficient resources") for good. A steady "fewer running than
     * set" state, without racing swarm's restart of a killed task. Returns at once (tasks start later).
     */
    public String createServiceOfWhichTwoFit(String suffix, int replicas) {
        String name = prefix + "-" + suffix;
        int cpus = Integer.parseInt(run("docker", "info", "--format", "{{.NCPU}}").strip());
        services.add(name);
        run("docker", "service", "create", "--detach=true", "--quiet", "--name", name, "--no-resolve-image",
                "--replicas", Integer.toString(replicas), "--reserve-cpu", Double.toString(cpus / 2.0),
                "--stop-grace-period", "1s", "scaler-test/busybox:latest", "sleep", "3600");
        return name;
    }

    /** Creates a global service (one task per node), which Scaler must refuse to scale. */
    public String createGlobalService(String suffix) {
        String name = prefix + "-" + suffix;
        services.add(name);
        run("docker", "service", "create", "--detach=false", "--quiet", "--name", name, "--no-resolve-image",
                "--mode", "global", "--stop-grace-period", "1s", "scaler-test/busybox:latest", "sleep", "3600");
        return name;
    }

    /** Sets the replica count directly with the docker CLI (the test's own hand), waiting for convergence. */
    public void scale(String service, int replicas) {
        run("docker", "service", "scale", "--detach=false", service + "=" + replicas);
    }

    /** Running tasks, counted with the docker CLI: independent of Scaler's own observer. */
    public int running(String service) {
        return (int) run("docker", "service", "ps", "--filter", "desired-state=running", "--format",
                "{{.CurrentState}}", service).lines().filter(l -> l.startsWith("Running")).count();
    }

    /** Every task swarm has made for the service, replaced ones included. */
    public int tasksEverMade(String service) {
        return (int) run("docker", "service", "ps", "-q", service).lines().filter(l -> !l.isBlank()).count();
    }

    /** The replica count the service is set to. */
    public int desired(String service) {
        return Integer.parseInt(run("docker", "service", "inspect", "--format",
                "{{.Spec.Mode.Replicated.Replicas}}", service).strip());
    }

    /** Kills the container of one running task, as a crash would; swarm starts a replacement. */
    public void killOneTask(String service) {
        String id = run("docker", "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + service,
                "--filter", "status=running").lines().findFirst().orElseThrow();
        run("docker", "kill", id);
    }

    @Override
    public void close() {
        for (String service : services) {
            try {
                run("docker", "service", "rm", service);
            } catch (RuntimeException e) {
                // best effort: a failed test must still be able to clean up what it can
            }
        }
        services.clear();
    }

    static String run(String... argv) {
        try {
            Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
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
