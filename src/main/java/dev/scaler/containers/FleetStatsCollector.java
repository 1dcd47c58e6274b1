package dev.scaler.containers;

import dev.scaler.config.Configurations;
import dev.scaler.fleet.FleetDriver;
import dev.scaler.target.Target;
import dev.scaler.target.TargetRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code scaler_container_*} series of the fleet targets' containers, host by host: one run of
 * {@code fleet_stats.yml} per fleet target and round ({@code docker stats --no-stream} on every host, at most
 * {@code scaler.container-metrics.concurrency} hosts at once), on the container-metrics interval and on a thread
 * of its own. The tick's report run stays as it was: stats cost the engine one to two seconds per host, which the
 * scaling loop does not wait for.
 */
@Singleton
public class FleetStatsCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetStatsCollector.class);

    private final TargetRegistry targets;
    private final ContainerMetricsConfiguration configuration;
    private final ContainerMeters meters;
    private final FleetDriver fleet;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fleet-container-metrics");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public FleetStatsCollector(TargetRegistry targets, Configurations configurations, MeterRegistry registry,
                               FleetDriver fleet) {
        this(targets, configurations.containerMetrics(), new ContainerMeters(registry), fleet);
    }

    FleetStatsCollector(TargetRegistry targets, ContainerMetricsConfiguration configuration, ContainerMeters meters,
                        FleetDriver fleet) {
        this.targets = targets;
        this.configuration = configuration;
        this.meters = meters;
        this.fleet = fleet;
    }

    /** The first round after one interval, as the local collector's. */
    @EventListener
    void schedule(StartupEvent started) {
        if (!configuration.enabled()) {
            return;
        }
        long every = configuration.interval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                sample();
            } catch (RuntimeException e) {
                LOG.warn("fleet container metrics round failed; next in {}: {}", configuration.interval(),
                        e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** One round over every fleet target; a target or host that cannot tell loses its series this round. */
    public synchronized void sample() {
        Map<ContainerRef, ContainerUsage> sampled = new HashMap<>();
        for (Target target : targets.all()) {
            if (target.fleet() == null) {
                continue;
            }
            long start = System.nanoTime();
            List<FleetDriver.HostStats> hosts;
            try {
                hosts = fleet.stats(target.name(), target.fleet(), configuration.concurrency());
            } catch (RuntimeException e) {
                LOG.warn("fleet container stats failed: target={} reason={}", target.name(), e.toString());
                continue;
            }
            int containers = 0;
            for (FleetDriver.HostStats host : hosts) {
                if (!host.answered()) {
                    LOG.warn("fleet container stats failed: target={} host={} reason={}", target.name(), host.host(),
                            host.problem());
                    continue;
                }
                Map<ContainerRef, ContainerUsage> read = usages(target.name(), host, (container, why) -> LOG.warn(
                        "fleet container stats unreadable: target={} host={} container={} reason={}", target.name(),
                        host.host(), container, why));
                containers += read.size();
                sampled.putAll(read);
            }
            LOG.debug("fleet container metrics: target={} hosts={} containers={} took={}ms", target.name(),
                    hosts.size(), containers, (System.nanoTime() - start) / 1_000_000);
        }
        meters.update(sampled);
    }

    /** Told a container's name (or the line) and why it has no figures this round. */
    interface Unreadable {
        void report(String container, String why);
    }

    /**
     * One host's lines as usage per container, with the CPU ratio of the container's limit, or of one core, as the
     * local collector's. A line that cannot be read, or a container whose limit is not known (started between the
     * two commands), gets no figures this round, and {@code unreadable} says why. Pure.
     */
    static Map<ContainerRef, ContainerUsage> usages(String target, FleetDriver.HostStats host, Unreadable unreadable) {
        Map<String, Double> limits = new LinkedHashMap<>();
        for (String line : host.limits()) {
            try {
                limitLine(line, limits);
            } catch (IllegalArgumentException e) {
                unreadable.report(line, e.getMessage());
            }
        }
        Map<ContainerRef, ContainerUsage> result = new LinkedHashMap<>();
        for (String line : host.stats()) {
            DockerStatsLine s;
            try {
                s = DockerStatsLine.parse(line);
            } catch (IllegalArgumentException e) {
                unreadable.report(line, e.getMessage());
                continue;
            }
            String id = limits.keySet().stream().filter(full -> full.startsWith(s.id())).findFirst().orElse(null);
            if (id == null) {
                unreadable.report(s.name(), "no CPU limit read for container id " + s.id());
                continue;
            }
            ContainerUsage usage = s.usage(limits.get(id));
            if (usage == null) {
                unreadable.report(s.name(), "docker stats showed -- (it could not read the container)");
                continue;
            }
            result.put(new ContainerRef(id, target, host.project(), host.service(), s.name(), host.host()), usage);
        }
        return result;
    }

    /** {@code ID NanoCpus CpuQuota CpuPeriod}, as the role's docker inspect prints it. */
    static void limitLine(String line, Map<String, Double> limits) {
        String[] f = line.strip().split("\\s+");
        if (f.length != 4 || !f[0].matches("[0-9a-f]{12,64}")) {
            throw new IllegalArgumentException("docker inspect line '" + line.strip()
                    + "' is not 'ID NanoCpus CpuQuota CpuPeriod'");
        }
        long[] n = new long[3];
        for (int i = 0; i < 3; i++) {
            try {
                n[i] = Long.parseLong(f[i + 1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("docker inspect line '" + line.strip() + "': "
                        + List.of("NanoCpus", "CpuQuota", "CpuPeriod").get(i) + " '" + f[i + 1] + "' is not a number");
            }
        }
        limits.put(f[0], ContainerUsage.cpuLimitCores(n[0], n[1], n[2]));
    }

    /** The containers that have series now. */
    public Set<ContainerRef> exported() {
        return meters.containers();
    }

    @PreDestroy
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
