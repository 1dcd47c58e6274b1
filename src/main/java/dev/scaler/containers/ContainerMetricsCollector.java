package dev.scaler.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.BlkioStatEntry;
import com.github.dockerjava.api.model.BlkioStatsConfig;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.StatisticNetworksConfig;
import com.github.dockerjava.api.model.Statistics;
import dev.scaler.config.Configurations;
import dev.scaler.observation.DockerClients;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Samples what the containers of every local target use, through the engine's stats API (what
 * {@code docker stats} shows), and exports it through {@link ContainerMeters}. It runs on its own thread and a
 * small fixed pool, never on the scaling loop's: the engine takes about a second per container, since it waits
 * for a second reading to work out CPU.
 */
@Singleton
public class ContainerMetricsCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerMetricsCollector.class);
    static final String PROJECT_LABEL = "com.docker.compose.project";
    static final String SERVICE_LABEL = "com.docker.compose.service";
    static final String ONEOFF_LABEL = "com.docker.compose.oneoff";
    static final String SWARM_SERVICE_LABEL = "com.docker.swarm.service.name";
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private final TargetRegistry targets;
    private final ContainerMetricsConfiguration configuration;
    private final ContainerMeters meters;
    private final DockerClients.Lazy client;
    /** CPU limits by container id: fixed for a container's life unless someone runs docker update. */
    private final Map<String, Double> cpuLimits = new ConcurrentHashMap<>();
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;

    @Inject
    public ContainerMetricsCollector(TargetRegistry targets, Configurations configurations, MeterRegistry registry) {
        this(targets, configurations.containerMetrics(), new ContainerMeters(registry),
                new DockerClients.Lazy(configurations.dockerHost(), Duration.ofSeconds(5), RESPONSE_TIMEOUT,
                        configurations.containerMetrics().concurrency()));
    }

    ContainerMetricsCollector(TargetRegistry targets, ContainerMetricsConfiguration configuration,
                              ContainerMeters meters, DockerClients.Lazy client) {
        this.targets = targets;
        this.configuration = configuration;
        this.meters = meters;
        this.client = client;
        this.pool = Executors.newFixedThreadPool(configuration.concurrency(), daemon("container-stats-"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("container-metrics-"));
    }

    /** The first round after one interval, so start-up does not wait for the engine. */
    @EventListener
    void schedule(StartupEvent started) {
        if (!configuration.enabled()) {
            LOG.info("container metrics off (scaler.container-metrics.enabled=false)");
            return;
        }
        long every = configuration.interval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                sample();
            } catch (RuntimeException e) {
                LOG.warn("container metrics round failed; next in {}: {}", configuration.interval(), e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** One round: lists the targets' containers, reads each one's stats, updates the series. */
    public synchronized void sample() {
        long start = System.nanoTime();
        List<ContainerRef> refs = containers(targets.all());
        Map<ContainerRef, Future<ContainerUsage>> pending = new LinkedHashMap<>();
        for (ContainerRef ref : refs) {
            pending.put(ref, pool.submit(() -> read(ref)));
        }
        Map<ContainerRef, ContainerUsage> sampled = new HashMap<>();
        int failed = 0;
        for (var e : pending.entrySet()) {
            try {
                ContainerUsage usage = e.getValue().get(RESPONSE_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
                if (usage != null) {
                    sampled.put(e.getKey(), usage);
                }
            } catch (ExecutionException | TimeoutException ex) {
                failed++;
                e.getValue().cancel(true);
                Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
                LOG.warn("container stats failed: target={} container={} reason={}", e.getKey().target(),
                        e.getKey().container(), cause.toString());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Set<String> live = new java.util.HashSet<>();
        refs.forEach(r -> live.add(r.id()));
        cpuLimits.keySet().retainAll(live);
        meters.update(sampled);
        LOG.debug("container metrics: containers={} sampled={} failed={} took={}ms", refs.size(), sampled.size(),
                failed, (System.nanoTime() - start) / 1_000_000);
    }

    /** The running containers of the local targets, from one listing. */
    List<ContainerRef> containers(List<Target> all) {
        Map<List<String>, String> compose = new HashMap<>();
        Map<String, String> swarm = new HashMap<>();
        for (Target t : all) {
            if (t.compose() != null) {
                compose.put(List.of(t.compose().projectName(), t.compose().service()), t.name());
            } else if (t.swarm() != null) {
                swarm.put(t.swarm().name(), t.name());
            }
        }
        if (compose.isEmpty() && swarm.isEmpty()) {
            return List.of();
        }
        List<Container> listed = client.get().listContainersCmd().withStatusFilter(List.of("running")).exec();
        List<ContainerRef> refs = new ArrayList<>();
        for (Container c : listed) {
            Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
            String name = c.getNames() == null || c.getNames().length == 0 ? c.getId()
                    : c.getNames()[0].replaceFirst("^/", "");
            String project = labels.get(PROJECT_LABEL);
            String service = labels.get(SERVICE_LABEL);
            String target = project == null || service == null || "True".equalsIgnoreCase(labels.get(ONEOFF_LABEL))
                    ? null : compose.get(List.of(project, service));
            if (target != null) {
                refs.add(new ContainerRef(c.getId(), target, project, service, name));
                continue;
            }
            String swarmService = labels.get(SWARM_SERVICE_LABEL);
            if (swarmService != null && swarm.containsKey(swarmService)) {
                refs.add(new ContainerRef(c.getId(), swarm.get(swarmService), "", swarmService, name));
            }
        }
        return refs;
    }

    /** One container's usage; null when it went away before it could be read. */
    private ContainerUsage read(ContainerRef ref) throws InterruptedException {
        DockerClient docker = client.get();
        Double limit = cpuLimits.get(ref.id());
        if (limit == null) {
            InspectContainerResponse inspected = docker.inspectContainerCmd(ref.id()).exec();
            HostConfig host = inspected.getHostConfig();
            limit = host == null ? 0.0
                    : ContainerUsage.cpuLimitCores(host.getNanoCPUs(), host.getCpuQuota(), host.getCpuPeriod());
            cpuLimits.put(ref.id(), limit);
        }
        AtomicReference<Statistics> stats = new AtomicReference<>();
        ResultCallback.Adapter<Statistics> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics s) {
                stats.compareAndSet(null, s);
            }
        };
        try (callback) {
            docker.statsCmd(ref.id()).withNoStream(true).exec(callback);
            if (!callback.awaitCompletion(RESPONSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("no stats within " + RESPONSE_TIMEOUT.toSeconds() + "s");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Statistics s = stats.get();
        return s == null ? null : ContainerUsage.of(sample(s), limit);
    }

    static StatsSample sample(Statistics s) {
        CpuStatsConfig cpu = s.getCpuStats();
        CpuStatsConfig pre = s.getPreCpuStats();
        MemoryStatsConfig memory = s.getMemoryStats();
        long rx = 0;
        long tx = 0;
        if (s.getNetworks() != null) {
            for (StatisticNetworksConfig n : s.getNetworks().values()) {
                rx += n(n.getRxBytes());
                tx += n(n.getTxBytes());
            }
        }
        long read = 0;
        long written = 0;
        BlkioStatsConfig blkio = s.getBlkioStats();
        if (blkio != null && blkio.getIoServiceBytesRecursive() != null) {
            for (BlkioStatEntry e : blkio.getIoServiceBytesRecursive()) {
                String op = e.getOp() == null ? "" : e.getOp().toLowerCase(java.util.Locale.ROOT);
                if (op.startsWith("r")) {
                    read += n(e.getValue());
                } else if (op.startsWith("w")) {
                    written += n(e.getValue());
                }
            }
        }
        var memoryStats = memory == null ? null : memory.getStats();
        return new StatsSample(
                cpu == null || cpu.getCpuUsage() == null ? 0 : n(cpu.getCpuUsage().getTotalUsage()),
                pre == null || pre.getCpuUsage() == null ? 0 : n(pre.getCpuUsage().getTotalUsage()),
                cpu == null ? 0 : n(cpu.getSystemCpuUsage()),
                pre == null ? 0 : n(pre.getSystemCpuUsage()),
                cpu == null ? 0 : n(cpu.getOnlineCpus()),
                cpu == null || cpu.getCpuUsage() == null || cpu.getCpuUsage().getPercpuUsage() == null ? 0
                        : cpu.getCpuUsage().getPercpuUsage().size(),
                memory == null ? 0 : n(memory.getUsage()),
                memoryStats == null ? null : memoryStats.getTotalInactiveFile(),
                memoryStats == null ? null : memoryStats.getInactiveFile(),
                memory == null ? 0 : n(memory.getLimit()),
                rx, tx, read, written);
    }

    /** The containers that have series now. */
    public Set<ContainerRef> exported() {
        return meters.containers();
    }

    private static long n(Long value) {
        return value == null ? 0 : value;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @PreDestroy
    @Override
    public void close() {
        scheduler.shutdownNow();
        pool.shutdownNow();
        try {
            client.close();
        } catch (java.io.IOException e) {
            LOG.warn("docker client for container metrics not closed cleanly: {}", e.toString());
        }
    }
}
