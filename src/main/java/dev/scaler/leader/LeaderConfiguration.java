package dev.scaler.leader;

import io.micronaut.context.exceptions.ConfigurationException;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Leader election (docs/ha.md), under {@code scaler.leader.}. Read and checked by
 * {@code dev.scaler.config.Configurations}; the defaults are computed there from the poll interval, the host
 * name, the pid and the server port.
 *
 * @param enabled       true when the history is on PostgreSQL ({@code datasources.default.url} starts with
 *                      {@code jdbc:postgresql:}); otherwise the instance is alone and acts (role {@code single})
 * @param leaseDuration how long a lease lasts past its last renewal, by the database's clock; a dead leader is
 *                      replaced within 1.25 of it (renewals every quarter)
 * @param instanceId    this instance's name in the lease, the history and the metrics
 * @param advertiseUrl  the URL other instances and clients are told to use for writes while this one leads
 */
public record LeaderConfiguration(boolean enabled, Duration leaseDuration, String instanceId, URI advertiseUrl) {

    /** Renewals come every quarter of the lease, so one needs the scheduler to keep at least this pace. */
    public static final Duration MIN_LEASE = Duration.ofMillis(400);
    public static final int MAX_INSTANCE_ID = 255;

    public LeaderConfiguration {
        if (leaseDuration == null || leaseDuration.compareTo(MIN_LEASE) < 0) {
            throw new ConfigurationException("scaler.leader.lease-duration: must be at least " + MIN_LEASE.toMillis()
                    + "ms, got " + leaseDuration);
        }
        if (instanceId == null || instanceId.isBlank() || instanceId.length() > MAX_INSTANCE_ID
                || instanceId.chars().anyMatch(ch -> ch < 0x21 || ch == 0x7f)) {
            throw new ConfigurationException("scaler.leader.instance-id: must be 1 to " + MAX_INSTANCE_ID
                    + " printable characters without spaces, got '" + instanceId + "'");
        }
        Objects.requireNonNull(advertiseUrl, "scaler.leader.advertise-url");
    }

    /** The default instance id: {@code <hostname>-<pid>}. */
    public static String defaultInstanceId() {
        return hostname() + "-" + ProcessHandle.current().pid();
    }

    /** The default advertised URL: {@code http://<hostname>:<port>}. */
    public static URI defaultAdvertiseUrl(int port) {
        // a random port (-1, tests) is known only once the server is up: the URL then names the host alone
        return URI.create("http://" + hostname() + (port > 0 ? ":" + port : ""));
    }

    static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
