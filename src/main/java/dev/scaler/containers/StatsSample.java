package dev.scaler.containers;

/**
 * One reading of the engine's stats for a container, as numbers (the engine's {@code /containers/ID/stats}
 * with {@code stream=false}: the engine waits for a second reading, so {@code pre*} holds the one before).
 * A field the engine did not send is 0, or null where 0 would be a real value.
 *
 * @param cpuTotal           {@code cpu_stats.cpu_usage.total_usage}, ns of CPU the container used so far
 * @param preCpuTotal        the same in {@code precpu_stats}
 * @param systemCpu          {@code cpu_stats.system_cpu_usage}, ns of CPU the whole host used so far
 * @param preSystemCpu       the same in {@code precpu_stats}
 * @param onlineCpus         {@code cpu_stats.online_cpus}; 0 when not sent (then {@code perCpuCount} stands in)
 * @param perCpuCount        the length of {@code percpu_usage}
 * @param memoryUsage        {@code memory_stats.usage}, page cache included
 * @param totalInactiveFile  {@code memory_stats.stats.total_inactive_file} (cgroup v1); null when not sent
 * @param inactiveFile       {@code memory_stats.stats.inactive_file} (cgroup v2); null when not sent
 * @param memoryLimit        {@code memory_stats.limit}: the container's limit, or the host's memory without one
 * @param networkReceived    {@code rx_bytes} summed over the container's interfaces
 * @param networkSent        {@code tx_bytes} summed likewise
 * @param blockRead          {@code io_service_bytes_recursive} entries of op Read, summed over devices
 * @param blockWritten       entries of op Write, summed likewise
 */
public record StatsSample(long cpuTotal, long preCpuTotal, long systemCpu, long preSystemCpu, long onlineCpus,
                          int perCpuCount, long memoryUsage, Long totalInactiveFile, Long inactiveFile,
                          long memoryLimit, long networkReceived, long networkSent, long blockRead,
                          long blockWritten) {
}
