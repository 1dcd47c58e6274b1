package dev.scaler.bench;

import dev.scaler.execution.ActionOutcome;
import dev.scaler.execution.AnsibleRunner;
import dev.scaler.execution.AnsibleScaleExecutor;
import dev.scaler.execution.ComposeService;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.execution.PlaybookResult;
import dev.scaler.execution.TestProjects;
import dev.scaler.observation.DockerReplicaObserver;
import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One scale up and one scale down (1 -> 2 -> 1 replicas), as whole processes, four ways, interleaved, median of
 * {@code ROUNDS} (5) pairs each: (a) ansible/scale.yml as Scaler runs it ({@link AnsibleScaleExecutor}, so under
 * flock, with Scaler's environment and extra-vars file, told the compose CLI and the count before, then the count
 * after through the Docker API as {@code ComposeDriver} does), (b) a one-task {@code ansible-playbook} whose only
 * task is an {@code ansible.builtin.command} with the same docker-compose argv, (c) the bare docker-compose, (d)
 * scale.yml told nothing, as a person runs it by hand (it probes for the CLI and counts before and after). Wall
 * time, and CPU: user + sys of every process the JVM started and reaped, with their own reaped children
 * (cutime + cstime of /proc/self/stat; the containers run under dockerd and count in none of them, and neither does
 * the Docker API count in (a), which runs in this JVM: its wall time is in (a), and is printed on its own).
 * Prints figures and the ratios; asserts nothing.
 *
 * <p>The project's service stops with {@code stop_grace_period: 0s}: the test image's httpd ignores SIGTERM, so
 * every scale-down would otherwise wait compose's 10 s stop timeout, the same in all three, and hide what
 * Ansible costs.
 */
class ScaleActionBenchmark {

    /** -Dscale.bench.rounds=3 for a busy machine; -Dscale.bench.by-hand=no leaves out (d). */
    private static final int ROUNDS = Integer.getInteger("scale.bench.rounds", 5);
    private static final boolean BY_HAND = !"no".equals(System.getProperty("scale.bench.by-hand", "yes"));
    private static final String COMPOSE_FILE = """
            version: "2.4"
            services:
              web:
                image: scaler-test/busybox:latest
                command: ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]
                stop_grace_period: 0s
            """;

    @Test
    void ansibleVersusBareCompose() throws Exception {
        RealParts.requireDocker();
        RealParts.requireCommand("ansible-playbook");
        RealParts.requireCommand("docker-compose");
        RealParts.requireCommand("flock");
        String project = TestProjects.uniqueName();
        Path dir = TestProjects.createDirectory();
        Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE_FILE);
        Path oneTask = Files.createTempFile("scaler-bench-one-task-", ".yml");
        try (DockerReplicaObserver observer = new DockerReplicaObserver(null)) {
            ComposeService web = new ComposeService(project, dir, List.of(Path.of("docker-compose.yml")), "web");
            ExecutionConfiguration configuration = new ExecutionConfiguration("ansible-playbook",
                    Path.of("ansible/scale.yml"), Path.of("inventories/local/hosts.yml"), Path.of("ansible/ansible.cfg"),
                    Duration.ofMinutes(3), List.of());
            AnsibleScaleExecutor executor = new AnsibleScaleExecutor(new AnsibleRunner(configuration), configuration);
            Map<String, String> ansibleEnvironment = AnsibleRunner.environment(configuration.ansibleConfig(), List.of());
            bare(project, dir, 1);
            System.out.printf("BENCH scale action: load average before: %s%n", loadAverage());

            Figures playbook = new Figures();
            Figures oneTaskPlaybook = new Figures();
            Figures compose = new Figures();
            Figures byHand = new Figures();
            List<Long> countAfterMicros = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                playbook.add(measure(() -> {
                    scale(executor, web, 1, 2);
                    countAfterMicros.add(countAfter(observer, project, 2));
                    scale(executor, web, 2, 1);
                    countAfterMicros.add(countAfter(observer, project, 1));
                }));
                oneTaskPlaybook.add(measure(() -> {
                    oneTask(oneTask, configuration, ansibleEnvironment, project, dir, 2);
                    oneTask(oneTask, configuration, ansibleEnvironment, project, dir, 1);
                }));
                compose.add(measure(() -> {
                    bare(project, dir, 2);
                    bare(project, dir, 1);
                }));
                if (BY_HAND) {
                    byHand.add(measure(() -> {
                        untold(executor, web, 2);
                        untold(executor, web, 1);
                    }));
                }
            }
            Sample noChange = measure(() -> untold(executor, web, 1));
            System.out.printf("BENCH scale action: load average after: %s%n", loadAverage());
            playbook.report("(a) ansible-playbook scale.yml as Scaler runs it");
            oneTaskPlaybook.report("(b) one-task ansible-playbook, same compose argv");
            compose.report("(c) bare docker-compose up --scale");
            if (BY_HAND) {
                byHand.report("(d) ansible-playbook scale.yml told nothing, as by hand");
            }
            System.out.printf("BENCH scale action ratio (a)/(b): wall %.2fx, cpu %.2fx%n",
                    playbook.wall() / oneTaskPlaybook.wall(), playbook.cpu() / oneTaskPlaybook.cpu());
            System.out.printf("BENCH scale action ratio (a)/(c): wall %.2fx, cpu %.2fx%n",
                    playbook.wall() / compose.wall(), playbook.cpu() / compose.cpu());
            System.out.printf("BENCH scale action ratio (b)/(c): wall %.2fx, cpu %.2fx%n",
                    oneTaskPlaybook.wall() / compose.wall(), oneTaskPlaybook.cpu() / compose.cpu());
            if (BY_HAND) {
                System.out.printf("BENCH scale action ratio (d)/(b): wall %.2fx, cpu %.2fx%n",
                        byHand.wall() / oneTaskPlaybook.wall(), byHand.cpu() / oneTaskPlaybook.cpu());
            }
            System.out.printf("BENCH scale action scale.yml told nothing, with nothing to change: wall %d ms, cpu %d ms%n",
                    noChange.wallMillis(), noChange.cpuMillis());
            long[] counts = countAfterMicros.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("BENCH scale action (a)'s count after through the Docker API: median %.1f ms (%.1f..%.1f)"
                    + " over %d counts%n", counts[counts.length / 2] / 1000.0, counts[0] / 1000.0,
                    counts[counts.length - 1] / 1000.0, counts.length);
        } finally {
            Files.deleteIfExists(oneTask);
            TestProjects.down(project, dir);
        }
    }

    /** The count before is what Scaler observed; the benchmark knows it, as Scaler does. */
    private static void scale(AnsibleScaleExecutor executor, ComposeService web, int from, int replicas) {
        check(executor.scale("bench", web, replicas, from));
    }

    private static void untold(AnsibleScaleExecutor executor, ComposeService web, int replicas) {
        check(executor.scale("bench", web, replicas));
    }

    private static void check(PlaybookResult result) {
        if (result.outcome() != ActionOutcome.SUCCEEDED) {
            throw new IllegalStateException("playbook " + result.outcome() + ": " + result.outputTail());
        }
    }

    /** What ComposeDriver does after a told run; microseconds. */
    private static long countAfter(DockerReplicaObserver observer, String project, int expected) throws Exception {
        long start = System.nanoTime();
        int running = observer.runningReplicas(project, "web");
        long micros = (System.nanoTime() - start) / 1000;
        if (running != expected) {
            throw new IllegalStateException("counted " + running + " after scaling to " + expected);
        }
        return micros;
    }

    private static List<String> composeArgv(String project, int replicas) {
        return List.of("docker-compose", "-p", project, "up", "-d", "--no-deps", "--no-recreate", "--scale",
                "web=" + replicas, "web");
    }

    private static void oneTask(Path playbook, ExecutionConfiguration configuration, Map<String, String> environment,
                                String project, Path dir, int replicas) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                ---
                - name: Run one compose command
                  hosts: local
                  gather_facts: false
                  tasks:
                    - name: Scale
                      ansible.builtin.command:
                        chdir: "%s"
                        argv:
                """.formatted(dir));
        composeArgv(project, replicas).forEach(a -> yaml.append("          - \"").append(a).append("\"\n"));
        Files.writeString(playbook, yaml.toString());
        run(List.of("ansible-playbook", "-i", configuration.inventory().toAbsolutePath().toString(),
                playbook.toString()), dir, environment);
    }

    private static void bare(String project, Path dir, int replicas) throws Exception {
        run(composeArgv(project, replicas), dir, null);
    }

    private static void run(List<String> argv, Path dir, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        Path log = Files.createTempFile("scaler-bench-", ".log");
        try {
            Process p = builder.redirectOutput(log.toFile()).start();
            if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(argv + " failed: " + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private record Sample(long wallMillis, long cpuMillis) {
    }

    private static Sample measure(Action action) throws Exception {
        long cpu = childCpuMillis();
        long start = System.nanoTime();
        action.run();
        long wall = (System.nanoTime() - start) / 1_000_000;
        return new Sample(wall, childCpuMillis() - cpu);
    }

    /**
     * cutime + cstime of this JVM: user and system CPU of every child it has reaped, each with the children
     * that child reaped. USER_HZ is 100 on Linux, so the resolution is 10 ms.
     */
    private static long childCpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state); cutime is field 16, cstime field 17
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10;
    }

    private static final class Figures {
        private final List<Sample> samples = new ArrayList<>();

        void add(Sample sample) {
            samples.add(sample);
        }

        double wall() {
            return median(samples.stream().mapToLong(Sample::wallMillis).toArray());
        }

        double cpu() {
            return median(samples.stream().mapToLong(Sample::cpuMillis).toArray());
        }

        void report(String what) {
            long[] walls = samples.stream().mapToLong(Sample::wallMillis).sorted().toArray();
            long[] cpus = samples.stream().mapToLong(Sample::cpuMillis).sorted().toArray();
            System.out.printf("BENCH scale action %s, up + down: wall median %.0f ms (%d..%d), cpu median %.0f ms"
                            + " (%d..%d) over %d pairs%n", what, wall(), walls[0], walls[walls.length - 1], cpu(),
                    cpus[0], cpus[cpus.length - 1], samples.size());
        }

        private static double median(long[] values) {
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
