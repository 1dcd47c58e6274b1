package dev.scaler.fleet;

import java.util.Objects;

/**
 * What the report playbook found on one host.
 *
 * @param running running replicas, or null when the host could not be asked
 * @param detail  why the host could not be asked (unreachable, changed host key, task failure), else empty
 */
public record HostCount(FleetHost host, Integer running, String detail) {

    public HostCount {
        Objects.requireNonNull(host, "host");
        detail = detail == null ? "" : detail;
    }

    public static HostCount reachable(FleetHost host, int running) {
        return new HostCount(host, running, "");
    }

    public static HostCount unreachable(FleetHost host, String detail) {
        return new HostCount(host, null, detail);
    }

    public boolean reachable() {
        return running != null;
    }
}
