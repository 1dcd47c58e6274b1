package dev.scaler.containers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The arithmetic of docker stats, as a table: deltas to ratios, memory without the page cache, limits in cores. */
class ContainerUsageTest {

    private static final long SECOND = 1_000_000_000L;

    /**
     * cpuDelta and systemDelta in ns; systemDelta is over all CPUs, so with 2 CPUs a second of wall time is 2 s of
     * system CPU. "null" means unknown, not zero.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            one core busy of 2, no limit        | 1000 | 2000 | 2 | 0  | 0.0  | 1.0
            one core busy of 2, limit 0.5 core  | 1000 | 2000 | 2 | 0  | 0.5  | 2.0
            half a core of 4, limit 2 cores     | 500  | 4000 | 4 | 0  | 2.0  | 0.25
            idle                                | 0    | 2000 | 2 | 0  | 0.0  | 0.0
            two cores of 2, no limit: above 1   | 2000 | 2000 | 2 | 0  | 0.0  | 2.0
            online_cpus missing: percpu counts  | 1000 | 2000 | 0 | 2  | 0.0  | 1.0
            no CPU count at all                 | 1000 | 2000 | 0 | 0  | 0.0  | null
            system did not advance              | 1000 | 0    | 2 | 0  | 0.0  | null
            container counter went back (restart) | -5 | 2000 | 2 | 0  | 0.0  | null
            """)
    void cpuRatio(String name, long cpuDeltaMs, long systemDeltaMs, long online, int perCpu, double limit,
                  Double expected) {
        long pre = 50 * SECOND;
        StatsSample s = cpu(pre + cpuDeltaMs * 1_000_000, pre, 900 * SECOND + systemDeltaMs * 1_000_000,
                900 * SECOND, online, perCpu);
        Double ratio = ContainerUsage.cpuRatio(s, limit);
        if (expected == null) {
            assertThat(ratio).isNull();
        } else {
            assertThat(ratio).isCloseTo(expected, within(1e-9));
        }
    }

    @Test
    void noEarlierReadingIsUnknownNotIdle() {
        // The engine sends an empty precpu_stats when it has only one reading.
        assertThat(ContainerUsage.cpuRatio(cpu(5 * SECOND, 0, 900 * SECOND, 0, 2, 0), 0)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            cgroup v1: total_inactive_file out         | 1000 | 300  | 100  | 4000 | 700  | 0.175
            cgroup v2: inactive_file out               | 1000 | null | 400  | 4000 | 600  | 0.15
            v1 figure not below usage: v2's is used    | 1000 | 1000 | 100  | 4000 | 900  | 0.225
            neither below usage: usage as it is        | 1000 | null | 1000 | 4000 | 1000 | 0.25
            no stats at all                            | 1000 | null | null | 4000 | 1000 | 0.25
            no limit sent                              | 1000 | null | null | 0    | 1000 | null
            """)
    void memory(String name, long usage, Long totalInactiveFile, Long inactiveFile, long limit, long expectedBytes,
                Double expectedRatio) {
        StatsSample s = new StatsSample(0, 0, 0, 0, 2, 0, usage, totalInactiveFile, inactiveFile, limit, 0, 0, 0, 0);
        ContainerUsage u = ContainerUsage.of(s, 0);
        assertThat(u.memoryBytes()).isEqualTo(expectedBytes);
        if (expectedRatio == null) {
            assertThat(u.memoryRatio()).isNull();
        } else {
            assertThat(u.memoryRatio()).isCloseTo(expectedRatio, within(1e-9));
        }
    }

    @ParameterizedTest(name = "nanoCpus={0} quota={1} period={2}")
    @CsvSource(nullValues = "null", textBlock = """
            1500000000, null,   null,   1.5
            null,       50000,  100000, 0.5
            null,       200000, null,   2.0
            0,          -1,     100000, 0.0
            null,       null,   null,   0.0
            500000000,  200000, 100000, 0.5
            """)
    void cpuLimitInCores(Long nanoCpus, Long quota, Long period, double expected) {
        assertThat(ContainerUsage.cpuLimitCores(nanoCpus, quota, period)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void countersPassThrough() {
        StatsSample s = new StatsSample(0, 0, 0, 0, 2, 0, 0, null, null, 0, 11, 22, 33, 44);
        ContainerUsage u = ContainerUsage.of(s, 0);
        assertThat(u).extracting(ContainerUsage::networkReceivedBytes, ContainerUsage::networkSentBytes,
                ContainerUsage::blockReadBytes, ContainerUsage::blockWrittenBytes).containsExactly(11L, 22L, 33L, 44L);
    }

    private static StatsSample cpu(long total, long preTotal, long system, long preSystem, long online, int perCpu) {
        return new StatsSample(total, preTotal, system, preSystem, online, perCpu, 0, null, null, 0, 0, 0, 0, 0);
    }
}
