package dev.scaler.bench;

import dev.scaler.LogConfigurator;
import dev.scaler.history.WriteThroughHistoryStore;
import dev.scaler.loop.ScalingLoop;
import dev.scaler.loop.TargetStatus;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.ScalerApp;
import dev.scaler.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Wall time of one tick over 1, 100 and 1,000 targets in the real application: for every target a docker-java
 * count against the real engine, an instant query against a real prometheus, the history read, the decision
 * and its record in H2. Dry run, so no playbook runs and every tick does the same work. Prints figures;
 * asserts nothing.
 *
 * <p>Beside the wall time it prints the CPU time each process spent per measured tick: this JVM (Scaler, H2 and
 * the test exporter), prometheus and dockerd. On a shared machine the wall time moves with the load; the CPU
 * time says what a tick costs.
 */
class TickLatencyBenchmark {

    @TempDir
    Path data;

    @Test
    void tickLatency() throws Exception {
        RealParts.requireDocker();
        RealParts.requireCommand("prometheus");
        // the log lines written as the service writes them, from a queue; -Dbench.log=sync as before 2026-12-06
        if (!"sync".equals(System.getProperty("bench.log"))) {
            LogConfigurator.writeAsync();
        }
        try (TestExporter exporter = TestExporter.start();
             PrometheusProcess prometheus = PrometheusProcess.start(List.of(exporter.address()));
             ComposeProject compose = new ComposeProject("scalerbench")) {
            prometheus.awaitData(TestExporter.REQUESTS_TOTAL, Duration.ofSeconds(30));
            compose.up(2);
            for (int targets : new int[] {1, 100, 1000}) {
                measure(targets, prometheus, compose);
            }
        }
    }

    private void measure(int targets, PrometheusProcess prometheus, ComposeProject compose) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("scaler.prometheus.url", prometheus.url().toString());
        p.put("scaler.dry-run", true);
        // The scheduler stays out of the way: the benchmark drives every tick itself.
        p.put("scaler.initial-delay", "1h");
        p.put("datasources.default.url", "jdbc:h2:file:" + data.resolve("bench-" + targets).toAbsolutePath()
                + ";AUTO_SERVER=FALSE");
        for (int i = 0; i < targets; i++) {
            String t = "scaler.targets.t" + i + ".";
            p.put(t + "query", "sum(rate(" + TestExporter.REQUESTS_TOTAL + "[5s])) + " + i);
            p.put(t + "compose-project", compose.name());
            // one target per service: t0 counts the running webapp, the others a service with no containers
            // (the same docker-java label query, answered with none)
            p.put(t + "service", i == 0 ? ComposeProject.SERVICE : ComposeProject.SERVICE + "-t" + i);
            p.put(t + "compose-project-dir", compose.dir().toString());
        }
        try (ScalerApp app = ScalerApp.start(data, p)) {
            ScalingLoop loop = app.bean(ScalingLoop.class);
            // -Dbench.warmup=N: more ticks before the timed ones, for figures after the JIT has settled (2 by default,
            // as the figures in docs/BENCHMARKS.md were taken; the JIT's compilations still fall in the timed ticks)
            for (int warm = Integer.getInteger("bench.warmup", 2); warm > 0; warm--) {
                tick(loop);
            }
            if (targets == 1000 && System.getProperty("bench.jfr") != null) {
                profile(loop, Path.of(System.getProperty("bench.jfr")));
            }
            long[] millis = new long[5];
            WriteThroughHistoryStore history = app.bean(WriteThroughHistoryStore.class);
            long batchesBefore = history.decisionBatches();
            long[] ownBefore = ownUserSystemMillis();
            long jitBefore = jitMillis();
            long gcBefore = gcMillis();
            long[] cpuBefore = {cpuMillis(ProcessHandle.current()), cpuMillis(prometheusProcess()), cpuMillis(dockerd())};
            for (int round = 0; round < millis.length; round++) {
                long start = System.nanoTime();
                tick(loop);
                millis[round] = (System.nanoTime() - start) / 1_000_000;
            }
            long[] cpuAfter = {cpuMillis(ProcessHandle.current()), cpuMillis(prometheusProcess()), cpuMillis(dockerd())};
            long[] ownAfter = ownUserSystemMillis();
            long jit = jitMillis() - jitBefore;
            long gc = gcMillis() - gcBefore;
            long batches = history.decisionBatches() - batchesBefore;
            Arrays.sort(millis);
            System.out.printf("BENCH tick targets=%d workers=%s median=%d ms min=%d ms max=%d ms (%.2f ms per target)"
                            + " cpu per tick: jvm=%d ms (user %d, system %d) JIT compilations %d ms and GC %d ms (elapsed, not CPU)"
                            + " prometheus=%d ms dockerd=%d ms"
                            + " history transactions per tick=%d load=%.2f%n",
                    targets, app.context().getProperty("scaler.workers", String.class).orElse("8"),
                    millis[2], millis[0], millis[4], millis[2] / (double) targets,
                    perTick(cpuBefore[0], cpuAfter[0], millis.length),
                    perTick(ownBefore[0], ownAfter[0], millis.length), perTick(ownBefore[1], ownAfter[1], millis.length),
                    jit / millis.length, gc / millis.length,
                    perTick(cpuBefore[1], cpuAfter[1], millis.length),
                    perTick(cpuBefore[2], cpuAfter[2], millis.length), batches / millis.length,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /**
     * With {@code -Dbench.jfr=<file>}: a JFR recording (execution samples every millisecond, allocation, locks)
     * of {@code bench.jfr.ticks} ticks (20 unless told) of 1,000 targets, after the warm-up and before the timed
     * rounds, so the profile holds the ticks alone and not the start-ups. For {@code jfr print}.
     */
    private static void profile(ScalingLoop loop, Path file) throws Exception {
        int ticks = Integer.getInteger("bench.jfr.ticks", 20);
        try (jdk.jfr.Recording recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"))) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            for (int i = 0; i < ticks; i++) {
                tick(loop);
            }
            recording.stop();
            recording.dump(file);
        }
    }

    /**
     * This JVM's user and system CPU time so far ({@code /proc/self/stat}, in clock ticks of 10 ms), {-1, -1} where
     * there is no such file: the system part is what the thread hand-offs (futex, epoll) cost in the kernel.
     */
    private static long[] ownUserSystemMillis() {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]) * 10, Long.parseLong(f[12]) * 10};
        } catch (java.io.IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /**
     * The JIT compilers' accumulated compilation time so far: elapsed time, so on a busy machine it can exceed the
     * CPU they used; above zero it says the JVM was still compiling during the timed ticks.
     */
    private static long jitMillis() {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** The collectors' accumulated time so far (pauses and concurrent work, wall time as the JVM counts it). */
    private static long gcMillis() {
        long sum = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** The prometheus this test started (a child of this JVM), when the system tells. */
    private static Optional<ProcessHandle> prometheusProcess() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/prometheus") || c.equals("prometheus"))
                        .orElse(false))
                .findFirst();
    }

    private static Optional<ProcessHandle> dockerd() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/dockerd")).orElse(false))
                .findFirst();
    }

    /** CPU time so far, -1 when unknown (no such process, or the system does not tell). */
    private static long cpuMillis(Optional<ProcessHandle> process) {
        return process.flatMap(p -> p.info().totalCpuDuration()).map(Duration::toMillis).orElse(-1L);
    }

    private static long perTick(long before, long after, int ticks) {
        return before < 0 || after < 0 ? -1 : (after - before) / ticks;
    }

    private static long cpuMillis(ProcessHandle process) {
        return cpuMillis(Optional.of(process));
    }

    /** The tick the scheduler runs (one Docker listing for all compose targets), all its evaluations awaited. */
    private static void tick(ScalingLoop loop) {
        List<CompletableFuture<TargetStatus>> running = loop.tickNow();
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    }
}
