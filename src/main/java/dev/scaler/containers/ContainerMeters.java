package dev.scaler.containers;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The {@code scaler_container_*} series on /prometheus, one set per container, labelled target, project,
 * service, container and host. Each collector (local engine, fleet hosts) has its own instance over the same
 * registry, and removes only its own series. A container's series go when it is no longer sampled, so a service that scaled in,
 * or a container that was recreated under the same name, leaves nothing behind.
 */
public class ContainerMeters {

    static final String CPU = "scaler.container.cpu.ratio";
    static final String MEMORY = "scaler.container.memory.bytes";
    static final String MEMORY_RATIO = "scaler.container.memory.ratio";
    static final String RECEIVED = "scaler.container.network.receive.bytes";
    static final String SENT = "scaler.container.network.transmit.bytes";
    static final String READ = "scaler.container.block.read.bytes";
    static final String WRITTEN = "scaler.container.block.write.bytes";

    /** A container's last usage and the meters that read it. */
    private final class Series {
        final Tags tags;
        final List<Meter> meters = new ArrayList<>();
        volatile ContainerUsage usage;
        boolean cpu;
        boolean memoryRatio;

        Series(ContainerRef ref, ContainerUsage usage) {
            this.tags = Tags.of("target", ref.target(), "project", ref.project(), "service", ref.service(),
                    "container", ref.container(), "host", ref.host());
            this.usage = usage;
            gauge(MEMORY, "Memory a container uses, page cache it can give back left out (as docker stats)",
                    s -> s.usage.memoryBytes());
            counter(RECEIVED, "Bytes a container received on its network interfaces",
                    s -> s.usage.networkReceivedBytes());
            counter(SENT, "Bytes a container sent on its network interfaces", s -> s.usage.networkSentBytes());
            counter(READ, "Bytes a container read from block devices", s -> s.usage.blockReadBytes());
            counter(WRITTEN, "Bytes a container wrote to block devices", s -> s.usage.blockWrittenBytes());
            update(usage);
        }

        /**
         * The ratios are registered at their first known value: a container without one yet has no series,
         * rather than a 0 that reads as idle. A later unknown reading (a restart) is NaN.
         */
        void update(ContainerUsage next) {
            usage = next;
            if (!cpu && next.cpuRatio() != null) {
                cpu = true;
                gauge(CPU, "CPU a container used over the engine's last interval, as a share of its CPU limit,"
                        + " or of one core without one", s -> ratio(s.usage.cpuRatio()));
            }
            if (!memoryRatio && next.memoryRatio() != null) {
                memoryRatio = true;
                gauge(MEMORY_RATIO, "Memory a container uses over its memory limit (the host's memory without one)",
                        s -> ratio(s.usage.memoryRatio()));
            }
        }

        private void gauge(String name, String description, ToDoubleFunction<Series> value) {
            meters.add(Gauge.builder(name, this, value).description(description).tags(tags).register(registry));
        }

        private void counter(String name, String description, ToDoubleFunction<Series> value) {
            meters.add(FunctionCounter.builder(name, this, value).description(description).tags(tags)
                    .register(registry));
        }

        void remove() {
            meters.forEach(registry::remove);
        }
    }

    private final MeterRegistry registry;
    private final Map<ContainerRef, Series> series = new HashMap<>();

    public ContainerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * One round's readings. Series of containers not in {@code sampled} are removed first, so a container
     * recreated under the same name starts new series rather than reading the old one's.
     *
     * @param sampled the usage of every container read this round; a container whose reading failed is left out
     */
    public synchronized void update(Map<ContainerRef, ContainerUsage> sampled) {
        Set<ContainerRef> live = sampled.keySet();
        series.entrySet().removeIf(e -> {
            if (live.contains(e.getKey())) {
                return false;
            }
            e.getValue().remove();
            return true;
        });
        sampled.forEach((ref, usage) -> {
            Series s = series.get(ref);
            if (s == null) {
                series.put(ref, new Series(ref, usage));
            } else {
                s.update(usage);
            }
        });
    }

    /** The containers that have series. */
    public synchronized Set<ContainerRef> containers() {
        return Set.copyOf(series.keySet());
    }

    private static double ratio(Double value) {
        return value == null ? Double.NaN : value;
    }
}
