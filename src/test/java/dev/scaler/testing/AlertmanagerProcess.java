package dev.scaler.testing;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * A real Alertmanager ({@value #BINARY}) for tests, on 127.0.0.1 and a free port, clustering off, routing every
 * alert to one webhook receiver with a bearer token, fast: group_wait and group_interval 1s, resolved alerts sent.
 * Config, storage and the process' output ({@code alertmanager.log}) live in a temp dir, deleted on a clean stop;
 * started, waited for and stopped as Prometheus is ({@link ServerProcess}).
 *
 * <pre>{@code
 * try (AlertmanagerProcess am = AlertmanagerProcess.start(app.uri("/api/alerts"), "token");
 *      PrometheusProcess prometheus = PrometheusProcess.start(List.of(exporter.address()), List.of(rules),
 *              List.of(am.address()))) {
 *     ...
 * }
 * }</pre>
 */
public final class AlertmanagerProcess implements AutoCloseable {

    public static final String BINARY = "/usr/bin/prometheus-alertmanager";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final ServerProcess server;

    private AlertmanagerProcess(ServerProcess server) {
        this.server = server;
    }

    /** Starts Alertmanager sending to {@code webhook} with {@code Authorization: Bearer token}; waits until ready. */
    public static AlertmanagerProcess start(URI webhook, String token) {
        return new AlertmanagerProcess(ServerProcess.start("alertmanager",
                dir -> Files.writeString(dir.resolve("alertmanager.yml"), config(webhook, token)),
                (dir, port) -> List.of(BINARY,
                        "--config.file=" + dir.resolve("alertmanager.yml"),
                        "--storage.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        // no cluster: a test instance must not gossip with anything
                        "--cluster.listen-address=",
                        "--log.level=debug"),
                START_TIMEOUT));
    }

    static String config(URI webhook, String token) {
        return """
                route:
                  receiver: scaler
                  group_by: ['alertname', 'scaler_target']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: scaler
                    webhook_configs:
                      - url: '%s'
                        send_resolved: true
                        http_config:
                          authorization:
                            type: Bearer
                            credentials: '%s'
                """.formatted(webhook, token);
    }

    /** {@code 127.0.0.1:port}, as Prometheus' alerting config wants it. */
    public String address() {
        return server.address();
    }

    public URI url() {
        return server.url();
    }

    /** The last lines of the process' log, for assertion messages. */
    public String logTail(int lines) {
        return server.logTail(lines);
    }

    /** SIGTERM, then SIGKILL after 10 seconds; deletes the temp dir. Safe to call twice. */
    public void stop() {
        server.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
