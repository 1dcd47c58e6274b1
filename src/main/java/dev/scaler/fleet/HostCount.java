package dev.scaler.fleet;

import java.util.Objects;

/**
 * What the report playbook found on one host.
 *
 * @param running running replicas, or null when the host could not be asked
 * @param problem why the host could not be asked, in a few words ({@code unreachable (host key changed)},
 *                {@code report failed}), else empty
 * @param detail  what Ansible or ssh said about it, else empty
 */
public record HostCount(FleetHost host, Integer running, String problem, String detail) {

    public HostCount {
        Objects.requireNonNull(host, "host");
        problem = problem == null ? "" : problem;
        detail = detail == null ? "" : detail;
    }

    public static HostCount reachable(FleetHost host, int running) {
        return new HostCount(host, running, "", "");
    }

    public static HostCount unreachable(FleetHost host, String problem, String detail) {
        return new HostCount(host, null, problem, detail);
    }

    /** An unreachable host's Ansible fatal message, named by what ssh said happened. */
    public static HostCount unreachable(FleetHost host, String fatal) {
        return unreachable(host, SshFailure.problem(fatal), SshFailure.evidence(fatal));
    }

    public boolean reachable() {
        return running != null;
    }

    /** The problem with what was said: {@code unreachable (host key changed): Host key ... failed.}. */
    public String explanation() {
        return detail.isEmpty() ? problem : problem + ": " + detail;
    }
}
