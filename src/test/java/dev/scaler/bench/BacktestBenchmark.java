package dev.scaler.bench;

import dev.scaler.backtest.LoadTrace;
import dev.scaler.backtest.NamedPolicy;
import dev.scaler.backtest.Replay;
import dev.scaler.backtest.ReplayResult;
import dev.scaler.backtest.ReplaySettings;
import dev.scaler.backtest.TraceFormat;
import dev.scaler.decision.Policy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The whole WorldCup98 trace (125,310 minutes) through the default policy: parse time, then replay time
 * cold (first run in the JVM, as {@code java -jar scaler.jar backtest} sees it) and warm. Reads
 * ../shared/traces when present and skips otherwise: a benchmark, not a CI test. Prints figures; asserts
 * nothing. See docs/BENCHMARKS.md.
 */
class BacktestBenchmark {

    private static final Path TRACE = Path.of("..", "shared", "traces", "worldcup98_per_minute.csv");

    @Test
    void wholeWorldCupTraceForOnePolicy() {
        Assumptions.assumeTrue(Files.isReadable(TRACE), TRACE + " is not here");
        long t0 = System.nanoTime();
        LoadTrace trace = TraceFormat.WORLDCUP.read(TRACE);
        long parsed = System.nanoTime();
        System.out.printf("BENCH backtest parse: %d steps in %.0f ms%n", trace.size(), (parsed - t0) / 1e6);

        NamedPolicy policy = new NamedPolicy("default", Policy.defaults(1, 100, 50));
        ReplaySettings settings = new ReplaySettings(50, Duration.ofMinutes(2), null, null);
        // CPU time of this thread as well as wall time: the machine is shared, and under load the wall
        // clock measures the neighbours too
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        long sink = 0;
        for (int round = 1; round <= 8; round++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            ReplayResult result = Replay.run(trace, policy, settings);
            ReplayResult.Score score = result.score();
            double ms = (System.nanoTime() - start) / 1e6;
            double cpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
            best = Math.min(best, ms);
            bestCpu = Math.min(bestCpu, cpuMs);
            sink += score.scaleActions();
            System.out.printf("BENCH backtest replay+score round %d%s: %.0f ms wall, %.0f ms cpu (%.2f us cpu per step,"
                    + " %d scale actions)%n", round, round == 1 ? " (cold)" : "", ms, cpuMs, cpuMs * 1000 / result.steps(),
                    score.scaleActions());
        }
        System.out.printf("BENCH backtest best: %.0f ms wall, %.0f ms cpu for %d steps (%.0f steps/s by cpu) [sink %d]%n",
                best, bestCpu, trace.size(), trace.size() / (bestCpu / 1000), sink);
        System.out.printf("BENCH load average while measuring: %.2f on %d cpus%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }
}
