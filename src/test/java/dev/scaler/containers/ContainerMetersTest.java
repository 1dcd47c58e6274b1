package dev.scaler.containers;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Series appear with a container, carry its labels, and go with it. */
class ContainerMetersTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ContainerMeters meters = new ContainerMeters(registry);
    final ContainerRef a = new ContainerRef("id-a", "web", "proj", "webapp", "proj_webapp_1");
    final ContainerRef b = new ContainerRef("id-b", "web", "proj", "webapp", "proj_webapp_2");

    @Test
    void everySeriesCarriesTheLabelsAndTheValues() {
        meters.update(Map.of(a, new ContainerUsage(0.5, 1000, 0.25, 1, 2, 3, 4)));
        assertThat(value(ContainerMeters.CPU, "proj_webapp_1")).isEqualTo(0.5);
        assertThat(value(ContainerMeters.MEMORY, "proj_webapp_1")).isEqualTo(1000);
        assertThat(value(ContainerMeters.MEMORY_RATIO, "proj_webapp_1")).isEqualTo(0.25);
        assertThat(value(ContainerMeters.RECEIVED, "proj_webapp_1")).isEqualTo(1);
        assertThat(value(ContainerMeters.SENT, "proj_webapp_1")).isEqualTo(2);
        assertThat(value(ContainerMeters.READ, "proj_webapp_1")).isEqualTo(3);
        assertThat(value(ContainerMeters.WRITTEN, "proj_webapp_1")).isEqualTo(4);
        Meter cpu = registry.find(ContainerMeters.CPU).meter();
        assertThat(cpu.getId().getTag("target")).isEqualTo("web");
        assertThat(cpu.getId().getTag("project")).isEqualTo("proj");
        assertThat(cpu.getId().getTag("service")).isEqualTo("webapp");
        assertThat(cpu.getId().getTag("host")).isEqualTo(ContainerRef.LOCAL);
    }

    /**
     * The fleet collector's series share the registry with the local one's: the same names and label names, told
     * apart by host; each removes only its own.
     */
    @Test
    void fleetHostsSeriesLiveBesideTheLocalOnesAndGoOnlyWithTheirOwnCollector() {
        ContainerMeters fleet = new ContainerMeters(registry);
        ContainerRef h1 = new ContainerRef("id-1", "shop", "proj-h1", "webapp", "proj-h1-webapp-1", "h1");
        ContainerRef h2 = new ContainerRef("id-1", "shop", "proj-h2", "webapp", "proj-h1-webapp-1", "h2");
        meters.update(Map.of(a, usage(0.5)));
        fleet.update(Map.of(h1, usage(0.9), h2, usage(0.1)));
        assertThat(registry.find(ContainerMeters.CPU).meters()).hasSize(3);
        assertThat(registry.find(ContainerMeters.CPU).tag("host", "h2").meter().measure().iterator().next().getValue())
                .isEqualTo(0.1);
        fleet.update(Map.of(h1, usage(0.8)));
        assertThat(registry.find(ContainerMeters.CPU).tag("host", "h2").meters()).isEmpty();
        assertThat(registry.find(ContainerMeters.CPU).meters()).hasSize(2);
        meters.update(Map.of());
        assertThat(registry.find(ContainerMeters.CPU).meters()).hasSize(1);
        assertThat(registry.find(ContainerMeters.CPU).tag("host", "h1").meters()).hasSize(1);
    }

    @Test
    void aContainerWithoutACpuFigureHasNoCpuSeriesUntilItHasOne() {
        meters.update(Map.of(a, new ContainerUsage(null, 1000, null, 0, 0, 0, 0)));
        assertThat(registry.find(ContainerMeters.CPU).meters()).isEmpty();
        assertThat(registry.find(ContainerMeters.MEMORY_RATIO).meters()).isEmpty();
        meters.update(Map.of(a, new ContainerUsage(0.1, 1000, null, 0, 0, 0, 0)));
        assertThat(value(ContainerMeters.CPU, "proj_webapp_1")).isEqualTo(0.1);
        meters.update(Map.of(a, new ContainerUsage(null, 1000, null, 0, 0, 0, 0)));
        assertThat(value(ContainerMeters.CPU, "proj_webapp_1")).isNaN();
    }

    @Test
    void aContainerNoLongerSampledLosesItsSeries() {
        meters.update(Map.of(a, usage(0.5), b, usage(0.7)));
        assertThat(registry.find(ContainerMeters.CPU).meters()).hasSize(2);
        meters.update(Map.of(b, usage(0.6)));
        assertThat(registry.find(ContainerMeters.CPU).tag("container", "proj_webapp_1").meters()).isEmpty();
        assertThat(registry.find(ContainerMeters.MEMORY).tag("container", "proj_webapp_1").meters()).isEmpty();
        assertThat(value(ContainerMeters.CPU, "proj_webapp_2")).isEqualTo(0.6);
        meters.update(Map.of());
        assertThat(registry.getMeters()).isEmpty();
        assertThat(meters.containers()).isEmpty();
    }

    @Test
    void aContainerRecreatedUnderTheSameNameReadsItsOwnFigures() {
        meters.update(Map.of(a, new ContainerUsage(0.5, 1000, 0.25, 500, 2, 3, 4)));
        ContainerRef recreated = new ContainerRef("id-new", "web", "proj", "webapp", "proj_webapp_1");
        meters.update(Map.of(recreated, new ContainerUsage(0.2, 10, 0.01, 7, 0, 0, 0)));
        assertThat(registry.find(ContainerMeters.RECEIVED).meters()).hasSize(1);
        assertThat(value(ContainerMeters.RECEIVED, "proj_webapp_1")).isEqualTo(7);
        assertThat(value(ContainerMeters.CPU, "proj_webapp_1")).isEqualTo(0.2);
    }

    private static ContainerUsage usage(double cpu) {
        return new ContainerUsage(cpu, 1000, 0.5, 0, 0, 0, 0);
    }

    private double value(String name, String container) {
        Meter m = registry.find(name).tag("container", container).meter();
        assertThat(m).as(name + " of " + container).isNotNull();
        return m.measure().iterator().next().getValue();
    }
}
