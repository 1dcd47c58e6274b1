package dev.scaler.containers;

/**
 * What a container uses, worked out from one {@link StatsSample} the way {@code docker stats} does, so the two
 * agree. Pure: no I/O.
 *
 * @param cpuRatio     CPU used over the sample's interval as a share of the container's CPU limit, or of one
 *                     core when it has none (1.0 = the limit, or one core, fully used; more than 1.0 is possible
 *                     without a limit); null when the sample cannot tell (no earlier reading, or the counters went
 *                     back because the container restarted), which is not the same as no load
 * @param memoryBytes  memory in use without the reclaimable page cache ({@code usage - inactive_file})
 * @param memoryRatio  {@code memoryBytes} over the sample's memory limit; null without a limit
 * @param networkReceivedBytes bytes received, since the container started
 * @param networkSentBytes     bytes sent, since the container started
 * @param blockReadBytes       bytes read from block devices, since the container started
 * @param blockWrittenBytes    bytes written to block devices, since the container started
 */
public record ContainerUsage(Double cpuRatio, long memoryBytes, Double memoryRatio, long networkReceivedBytes,
                             long networkSentBytes, long blockReadBytes, long blockWrittenBytes) {

    /**
     * @param cpuLimitCores the container's CPU limit in cores ({@code NanoCpus / 1e9}, or {@code CpuQuota /
     *                      CpuPeriod}); 0 or less means none, and the ratio is of one core
     */
    public static ContainerUsage of(StatsSample s, double cpuLimitCores) {
        return new ContainerUsage(cpuRatio(s, cpuLimitCores), memoryBytes(s), memoryRatio(s), s.networkReceived(),
                s.networkSent(), s.blockRead(), s.blockWritten());
    }

    /**
     * {@code docker stats}' CPU % over 100 (the container's CPU time over the host's, times the host's CPUs,
     * which is cores used), divided by the limit in cores when there is one.
     */
    static Double cpuRatio(StatsSample s, double cpuLimitCores) {
        long cpuDelta = s.cpuTotal() - s.preCpuTotal();
        long systemDelta = s.systemCpu() - s.preSystemCpu();
        long cpus = s.onlineCpus() > 0 ? s.onlineCpus() : s.perCpuCount();
        if (s.preSystemCpu() <= 0 || systemDelta <= 0 || cpuDelta < 0 || cpus <= 0) {
            return null;
        }
        double cores = (double) cpuDelta / systemDelta * cpus;
        return cpuLimitCores > 0 ? cores / cpuLimitCores : cores;
    }

    /** As the docker CLI does: cgroup v1's {@code total_inactive_file}, else v2's {@code inactive_file}. */
    static long memoryBytes(StatsSample s) {
        long usage = Math.max(0, s.memoryUsage());
        if (s.totalInactiveFile() != null && s.totalInactiveFile() < usage) {
            return usage - s.totalInactiveFile();
        }
        if (s.inactiveFile() != null && s.inactiveFile() < usage) {
            return usage - s.inactiveFile();
        }
        return usage;
    }

    static Double memoryRatio(StatsSample s) {
        return s.memoryLimit() > 0 ? (double) memoryBytes(s) / s.memoryLimit() : null;
    }

    /** The CPU limit in cores from a container's host config; 0 when it has none. */
    public static double cpuLimitCores(Long nanoCpus, Long cpuQuota, Long cpuPeriod) {
        if (nanoCpus != null && nanoCpus > 0) {
            return nanoCpus / 1e9;
        }
        if (cpuQuota != null && cpuQuota > 0) {
            // the kernel's default period when none is set
            long period = cpuPeriod != null && cpuPeriod > 0 ? cpuPeriod : 100_000L;
            return (double) cpuQuota / period;
        }
        return 0;
    }
}
