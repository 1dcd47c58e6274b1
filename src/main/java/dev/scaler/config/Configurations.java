package dev.scaler.config;

import dev.scaler.ScalerConfiguration;
import dev.scaler.api.ApiConfiguration;
import dev.scaler.containers.ContainerMetricsConfiguration;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.history.HistoryConfiguration;
import dev.scaler.leader.LeaderConfiguration;
import dev.scaler.metrics.PrometheusConfiguration;
import dev.scaler.policy.PolicyConfiguration;
import dev.scaler.status.StatusPageConfiguration;
import io.micronaut.context.exceptions.ConfigurationException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every {@code scaler.*} setting outside {@code scaler.targets}, read as text and parsed by {@link Settings}.
 * The one place that knows each key, its default (the record's constants) and its range; {@link #read}
 * fails with every problem at once.
 */
public record Configurations(ScalerConfiguration scaler, PolicyConfiguration policy,
                             PrometheusConfiguration prometheus, ExecutionConfiguration execution,
                             HistoryConfiguration history, ApiConfiguration api, String dockerHost,
                             StatusPageConfiguration statusPage, ContainerMetricsConfiguration containerMetrics,
                             LeaderConfiguration leader) {

    private static final Set<String> DOCKER_SCHEMES = Set.of("unix", "tcp", "npipe");

    /**
     * @param source the raw value of a full key (see {@link Settings#Settings})
     * @throws ConfigurationException naming every key whose value does not parse or is out of range
     */
    public static Configurations read(Function<String, Optional<Object>> source) {
        Settings in = new Settings(source);
        ScalerConfiguration scaler = in.build(() -> new ScalerConfiguration(
                in.positiveDuration("scaler.poll-interval", ScalerConfiguration.DEFAULT_POLL_INTERVAL),
                in.bool("scaler.dry-run", false),
                in.integer("scaler.workers", ScalerConfiguration.DEFAULT_WORKERS, 1, ScalerConfiguration.MAX_WORKERS),
                in.nonNegativeDuration("scaler.initial-delay", ScalerConfiguration.DEFAULT_INITIAL_DELAY)),
                ScalerConfiguration::defaults);
        PolicyConfiguration policy = in.build(() -> new PolicyConfiguration(
                in.path("scaler.policy-file", null),
                in.positiveDuration("scaler.policy-reload-interval", PolicyConfiguration.DEFAULT_RELOAD_INTERVAL)),
                () -> new PolicyConfiguration(null, PolicyConfiguration.DEFAULT_RELOAD_INTERVAL));
        String p = PrometheusConfiguration.PREFIX + ".";
        PrometheusConfiguration prometheus = in.build(() -> new PrometheusConfiguration(
                in.httpUri(p + "url", PrometheusConfiguration.DEFAULT_URL),
                in.positiveDuration(p + "timeout", PrometheusConfiguration.DEFAULT_TIMEOUT),
                in.positiveDuration(p + "freshness", PrometheusConfiguration.DEFAULT_FRESHNESS),
                in.secret(p + "username"),
                in.secret(p + "password"),
                in.secret(p + "bearer-token"),
                in.path(p + "bearer-token-file", null),
                in.path(p + "ca-file", null)), PrometheusConfiguration::defaults);
        String e = "scaler.execution.";
        ExecutionConfiguration execution = in.build(() -> new ExecutionConfiguration(
                in.string(e + "ansible-playbook", ExecutionConfiguration.DEFAULT_ANSIBLE_PLAYBOOK),
                in.path(e + "playbook", ExecutionConfiguration.DEFAULT_PLAYBOOK),
                in.path(e + "inventory", Path.of(ExecutionConfiguration.DEFAULT_INVENTORY)),
                in.path(e + "ansible-config", ExecutionConfiguration.DEFAULT_ANSIBLE_CONFIG),
                in.positiveDuration(e + "timeout", ExecutionConfiguration.DEFAULT_TIMEOUT),
                in.positiveDuration(e + "shutdown-grace", ExecutionConfiguration.DEFAULT_SHUTDOWN_GRACE),
                in.path(e + "lock-dir", ExecutionConfiguration.DEFAULT_LOCK_DIR),
                in.environmentNames(e + "pass-environment")), ExecutionConfiguration::defaults);
        HistoryConfiguration history = in.build(() -> new HistoryConfiguration(
                in.positiveDuration("scaler.history.retention", HistoryConfiguration.DEFAULT_RETENTION),
                in.positiveDuration("scaler.history.purge-interval", HistoryConfiguration.DEFAULT_PURGE_INTERVAL)),
                () -> new HistoryConfiguration(HistoryConfiguration.DEFAULT_RETENTION,
                        HistoryConfiguration.DEFAULT_PURGE_INTERVAL));
        ApiConfiguration api = in.build(() -> new ApiConfiguration(
                in.secret("scaler.api.token"),
                in.secret("scaler.api.username"),
                in.secret("scaler.api.password"),
                in.longInteger("scaler.api.max-alert-body", ApiConfiguration.DEFAULT_MAX_ALERT_BODY,
                        ApiConfiguration.MIN_MAX_ALERT_BODY, Long.MAX_VALUE),
                in.positiveDuration("scaler.api.alert-dedupe-window", ApiConfiguration.DEFAULT_ALERT_DEDUPE_WINDOW)),
                () -> new ApiConfiguration(null, null, null, ApiConfiguration.DEFAULT_MAX_ALERT_BODY,
                        ApiConfiguration.DEFAULT_ALERT_DEDUPE_WINDOW));
        StatusPageConfiguration statusPage = in.build(() -> new StatusPageConfiguration(
                in.bool("scaler.status-page.enabled", StatusPageConfiguration.DEFAULT_ENABLED)),
                StatusPageConfiguration::defaults);
        String m = "scaler.container-metrics.";
        ContainerMetricsConfiguration containerMetrics = in.build(() -> new ContainerMetricsConfiguration(
                in.bool(m + "enabled", ContainerMetricsConfiguration.DEFAULT_ENABLED),
                in.positiveDuration(m + "interval", ContainerMetricsConfiguration.DEFAULT_INTERVAL),
                in.integer(m + "concurrency", ContainerMetricsConfiguration.DEFAULT_CONCURRENCY, 1,
                        ContainerMetricsConfiguration.MAX_CONCURRENCY)), ContainerMetricsConfiguration::defaults);
        String dockerHost = dockerHost(in);
        LeaderConfiguration leader = leader(in, scaler);
        List<String> problems = in.problems();
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Invalid configuration (" + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "):\n  " + String.join("\n  ", problems));
        }
        return new Configurations(scaler, policy, prometheus, execution, history, api, dockerHost, statusPage,
                containerMetrics, leader);
    }

    /**
     * The election is on exactly when the history is on PostgreSQL; the lease lasts one poll interval unless set,
     * so a dead leader is replaced within two (docs/ha.md).
     */
    private static LeaderConfiguration leader(Settings in, ScalerConfiguration scaler) {
        String l = "scaler.leader.";
        boolean enabled = in.text("datasources.default.url").map(u -> u.startsWith("jdbc:postgresql:")).orElse(false);
        int port = in.integer("micronaut.server.port", 8080, -1, 65535);
        java.time.Duration lease = in.positiveDuration(l + "lease-duration", scaler.pollInterval());
        String instance = in.string(l + "instance-id", null);
        java.net.URI advertise = in.httpUri(l + "advertise-url", null);
        return in.build(() -> new LeaderConfiguration(enabled, lease,
                        instance == null ? LeaderConfiguration.defaultInstanceId() : instance,
                        advertise == null ? LeaderConfiguration.defaultAdvertiseUrl(port) : advertise),
                () -> new LeaderConfiguration(enabled, scaler.pollInterval(), LeaderConfiguration.defaultInstanceId(),
                        LeaderConfiguration.defaultAdvertiseUrl(port)));
    }

    /** Null means DOCKER_HOST or the default socket, as docker-java decides. */
    private static String dockerHost(Settings in) {
        String key = "scaler.docker.host";
        String host = in.text(key).orElse(null);
        if (host == null) {
            return null;
        }
        try {
            String scheme = new URI(host).getScheme();
            if (scheme != null && DOCKER_SCHEMES.contains(scheme.toLowerCase(java.util.Locale.ROOT))) {
                return host;
            }
        } catch (URISyntaxException ignored) {
            // Reported below.
        }
        in.problem(key, "'" + host + "' is not a Docker engine address (like unix:///var/run/docker.sock or"
                + " tcp://host:2375)");
        return null;
    }
}
