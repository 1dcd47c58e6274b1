package dev.scaler.bench;

import dev.scaler.testing.SshFleet;
import dev.scaler.testing.SshFleet.Run;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wall time of ansible/fleet_scale.yml changing 1, 5 and 20 real sshd hosts (each 1 -> 2 replicas,
 * then 2 -> 1), with forks=1 (sequential) and forks=20 (parallel), with and without connection reuse, told what
 * FleetDriver tells it (each host's count before and compose CLI) or told nothing (as by hand), and the
 * controller's CPU seconds per changed host.
 * Prints figures; asserts only that each run succeeded, never its timing. See docs/BENCHMARKS.md.
 */
class FleetBenchmark {

    // The full matrix by default; -Dfleet.bench.hosts=5,20 -Dfleet.bench.forks=1 -Dfleet.bench.reuse=no
    // runs a part of it (a sequential run without reuse over 20 hosts alone takes minutes).
    private static final int[] HOSTS = ints("fleet.bench.hosts", "1,5,20");
    private static final int[] FORKS = ints("fleet.bench.forks", "1,20");
    private static final String[] REUSE = System.getProperty("fleet.bench.reuse", "yes,no").split(",");
    private static final String[] TOLD = System.getProperty("fleet.bench.told", "yes,no").split(",");

    @Test
    void fleetScaleWallTime() throws Exception {
        int largest = Arrays.stream(HOSTS).max().orElse(1);
        try (SshFleet fleet = SshFleet.start(largest)) {
            Run setup = fleet.scale(counts(largest, 1));
            assertThat(setup.exitCode()).as(setup.output()).isZero();
            System.out.printf("BENCH fleet: load average before: %s%n", loadAverage());
            System.out.printf("BENCH fleet %-9s %-5s %5s %5s %14s %14s %16s %16s%n", "reuse", "told", "hosts", "forks",
                    "up 1->2 ms", "down 2->1 ms", "up cpu s/host", "down cpu s/host");
            for (String reuseChoice : REUSE) {
                boolean reuse = "yes".equals(reuseChoice.trim());
                for (int hosts : HOSTS) {
                    for (int forks : FORKS) {
                        for (String toldChoice : TOLD) {
                            boolean told = "yes".equals(toldChoice.trim());
                            Path controlDir = Files.createTempDirectory("sfcp");
                            try {
                                Map<String, String> environment = environment(reuse, forks, controlDir);
                                long[] up = timed(fleet, counts(hosts, 2), told ? counts(hosts, 1) : null, environment);
                                long[] down = timed(fleet, counts(hosts, 1), told ? counts(hosts, 2) : null,
                                        environment);
                                System.out.printf("BENCH fleet %-9s %-5s %5d %5d %14d %14d %16.2f %16.2f%n",
                                        reuse ? "yes" : "no", told ? "yes" : "no", hosts, forks, up[0], down[0],
                                        up[1] / 1000.0 / hosts, down[1] / 1000.0 / hosts);
                            } finally {
                                delete(controlDir);
                            }
                        }
                    }
                }
            }
            System.out.printf("BENCH fleet: load average after: %s%n", loadAverage());
        }
    }

    /**
     * With reuse: the pinned ansible.cfg (ControlPersist, pipelining), in a fresh control directory so the
     * first run ("up") opens its connections cold and the second ("down") finds them open, as consecutive
     * Scaler ticks would. Without: no control master, no pipelining, so every task opens its own connection.
     */
    private static Map<String, String> environment(boolean reuse, int forks, Path controlDir) {
        Map<String, String> environment = new HashMap<>();
        environment.put("ANSIBLE_FORKS", Integer.toString(forks));
        if (reuse) {
            environment.put("ANSIBLE_SSH_CONTROL_PATH_DIR", controlDir.toString());
        } else {
            environment.put("ANSIBLE_SSH_ARGS", "-C -o ControlMaster=no");
            environment.put("ANSIBLE_PIPELINING", "False");
        }
        return environment;
    }

    /**
     * Wall ms and the controller's CPU ms of one run: user + sys of ansible-playbook and everything under it that
     * it reaped (its workers, the modules of local tasks, the ssh clients), read from this JVM's cutime + cstime.
     * The hosts' side (sshd sessions, the modules, docker-compose) is reaped by the sshd processes, which stay
     * alive, so it is not in the figure; a ControlPersist master detaches and is not in it either.
     */
    private static long[] timed(SshFleet fleet, Map<String, Integer> counts, Map<String, Integer> before,
                                Map<String, String> environment) throws Exception {
        long cpu = childCpuMillis();
        // told: the hosts run docker-compose 1.29 (v1), as FleetDriver learns from their first run
        Run run = before == null ? fleet.scale(counts, environment) : fleet.scaleTold(counts, before, "v1", environment);
        long cpuMillis = childCpuMillis() - cpu;
        assertThat(run.exitCode()).as(run.output()).isZero();
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            assertThat(fleet.running(entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue());
        }
        return new long[] {run.wallTime().toMillis(), cpuMillis};
    }

    /** cutime + cstime of this JVM, in ms (USER_HZ 100: 10 ms resolution). */
    private static long childCpuMillis() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10;
    }

    private static int[] ints(String property, String fallback) {
        return Arrays.stream(System.getProperty(property, fallback).split(","))
                .mapToInt(v -> Integer.parseInt(v.trim())).toArray();
    }

    private static Map<String, Integer> counts(int hosts, int replicas) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 1; i <= hosts; i++) {
            counts.put("h" + i, replicas);
        }
        return counts;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // best effort: a leftover socket directory under /tmp is harmless
        }
    }
}
