package dev.scaler.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.scaler.containers.ContainerMetricsCollector;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.ScalerApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One round of the container-metrics collector over a compose service of {@code -Dcontainers.bench.count}
 * (100) containers, for a few pool sizes: wall time, this JVM's CPU (the whole application idles otherwise:
 * poll interval 1 h, Prometheus unreachable) and dockerd's CPU (utime + stime of /proc/PID/stat), median of
 * {@code ROUNDS} rounds after one warm-up. Prints {@code BENCH} lines; asserts nothing.
 */
class ContainerMetricsBenchmark {

    private static final int COUNT = Integer.getInteger("containers.bench.count", 100);
    private static final int ROUNDS = Integer.getInteger("containers.bench.rounds", 3);
    private static final long CLOCK_TICKS = 100;

    @TempDir
    Path data;

    @Test
    void oneRoundOverManyContainers() throws Exception {
        RealParts.requireDocker();
        RealParts.requireCommand("docker-compose");
        try (ComposeProject compose = new ComposeProject("scalerstatsbench")) {
            long upStart = System.nanoTime();
            compose.up(COUNT);
            System.out.printf("BENCH container-metrics setup: %d containers up in %d s%n", compose.running(),
                    (System.nanoTime() - upStart) / 1_000_000_000L);
            for (int concurrency : new int[] {4, 16}) {
                run(compose, concurrency);
            }
        }
    }

    private void run(ComposeProject compose, int concurrency) throws IOException {
        String t = "scaler.targets.bench.";
        Map<String, Object> p = new HashMap<>();
        p.put("scaler.prometheus.url", "http://127.0.0.1:9");
        p.put("scaler.poll-interval", "1h");
        p.put("scaler.container-metrics.interval", "1h");
        p.put("scaler.container-metrics.concurrency", concurrency);
        p.put(t + "query", "vector(1)");
        p.put(t + "dry-run", "true");
        p.put(t + "service", ComposeProject.SERVICE);
        p.put(t + "compose-project", compose.name());
        p.put(t + "compose-project-dir", compose.dir().toString());
        p.put(t + "min-replicas", 1);
        p.put(t + "max-replicas", COUNT);
        try (ScalerApp app = ScalerApp.start(data.resolve("c" + concurrency), p)) {
            ContainerMetricsCollector collector = app.bean(ContainerMetricsCollector.class);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            collector.sample();
            List<Long> walls = new ArrayList<>();
            List<Long> jvm = new ArrayList<>();
            List<Long> engine = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                long cpu0 = os.getProcessCpuTime();
                long d0 = dockerdCpuMillis();
                long w0 = System.nanoTime();
                collector.sample();
                walls.add((System.nanoTime() - w0) / 1_000_000);
                jvm.add((os.getProcessCpuTime() - cpu0) / 1_000_000);
                engine.add(dockerdCpuMillis() - d0);
            }
            System.out.printf("BENCH container-metrics round: %d containers, concurrency %d: wall median %d ms %s,"
                            + " JVM CPU median %d ms %s, dockerd CPU median %d ms %s, series of %d containers%n",
                    compose.running(), concurrency, median(walls), walls, median(jvm), jvm, median(engine), engine,
                    collector.exported().size());
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** dockerd's user + system CPU so far; -1 each when it cannot be read (another PID namespace). */
    private static long dockerdCpuMillis() throws IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path dir : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String comm = Files.readString(dir.resolve("comm")).trim();
                    if (comm.equals("dockerd")) {
                        String stat = Files.readString(dir.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLOCK_TICKS;
                    }
                } catch (IOException e) {
                    // a process that ended while listed
                }
            }
        }
        return -1;
    }
}
