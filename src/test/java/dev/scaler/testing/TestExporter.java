package dev.scaler.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;

/**
 * A fake application for Prometheus to scrape: a JDK HTTP server on 127.0.0.1 and an ephemeral port.
 *
 * <ul>
 *   <li>{@code GET /metrics} serves every metric set so far in the Prometheus text format.</li>
 *   <li>{@code GET /hit} increments the counter {@value #REQUESTS_TOTAL}, so a test can generate real load.</li>
 * </ul>
 *
 * <pre>{@code
 * try (TestExporter exporter = TestExporter.start();
 *      PrometheusProcess prometheus = PrometheusProcess.start(List.of(exporter.address()))) {
 *     exporter.set("webapp_load", 12.5);
 *     exporter.set("webapp_load", Map.of("instance_name", "b"), Double.NaN);
 *     exporter.increment(TestExporter.REQUESTS_TOTAL, 1);
 *     ...
 * }
 * }</pre>
 *
 * Thread-safe: values can be changed while Prometheus scrapes.
 */
public final class TestExporter implements AutoCloseable {

    /** The counter {@code /hit} increments. */
    public static final String REQUESTS_TOTAL = "webapp_requests_total";

    private final HttpServer server;
    /** name -> (rendered label set -> value); sorted so the output is stable. */
    private final Map<String, Metric> metrics = new ConcurrentSkipListMap<>();

    private TestExporter(HttpServer server) {
        this.server = server;
    }

    /** Starts the exporter on 127.0.0.1 and a free port; {@link #REQUESTS_TOTAL} starts at 0. */
    public static TestExporter start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TestExporter exporter = new TestExporter(server);
            server.createContext("/metrics", exporter::serveMetrics);
            server.createContext("/hit", exporter::serveHit);
            server.setExecutor(Executors.newFixedThreadPool(4));
            exporter.increment(REQUESTS_TOTAL, 0);
            server.start();
            return exporter;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test exporter", e);
        }
    }

    /** {@code host:port}, as a Prometheus scrape target. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://" + address();
    }

    /** Sets a gauge without labels. NaN and +/-Infinity are served as {@code NaN}, {@code +Inf}, {@code -Inf}. */
    public void set(String name, double value) {
        set(name, Map.of(), value);
    }

    /** Sets one labelled series of a gauge. */
    public void set(String name, Map<String, String> labels, double value) {
        metric(name, "gauge").values.put(renderLabels(labels), value);
    }

    /** Adds {@code delta} to a counter without labels, creating it at 0 first. */
    public void increment(String name, double delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("a counter only goes up, got " + delta);
        }
        metric(name, "counter").values.merge("", delta, Double::sum);
    }

    /** Removes a metric, so the next scrape no longer has it. */
    public void remove(String name) {
        metrics.remove(name);
    }

    /**
     * Removes every metric but {@link #REQUESTS_TOTAL}, which keeps its count: a counter never goes back, and
     * Prometheus would take a drop for a restart of the application.
     */
    public void reset() {
        metrics.keySet().removeIf(name -> !name.equals(REQUESTS_TOTAL));
    }

    /** Current value of an unlabelled metric, or NaN when unset. */
    public double get(String name) {
        Metric metric = metrics.get(name);
        return metric == null ? Double.NaN : metric.values.getOrDefault("", Double.NaN);
    }

    public void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }

    /** The body of {@code /metrics} right now. */
    public String render() {
        StringBuilder out = new StringBuilder();
        metrics.forEach((name, metric) -> {
            out.append("# TYPE ").append(name).append(' ').append(metric.type).append('\n');
            metric.values.forEach((labels, value) ->
                    out.append(name).append(labels).append(' ').append(format(value)).append('\n'));
        });
        return out.toString();
    }

    private Metric metric(String name, String type) {
        Metric metric = metrics.computeIfAbsent(name, n -> new Metric(type));
        if (!metric.type.equals(type)) {
            throw new IllegalArgumentException(name + " is a " + metric.type + ", not a " + type);
        }
        return metric;
    }

    private void serveMetrics(HttpExchange exchange) throws IOException {
        respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", render());
    }

    private void serveHit(HttpExchange exchange) throws IOException {
        increment(REQUESTS_TOTAL, 1);
        respond(exchange, 200, "text/plain; charset=utf-8", "ok\n");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String renderLabels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("{");
        new TreeMap<>(labels).forEach((k, v) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(k).append("=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        });
        return out.append('}').toString();
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }

    private static final class Metric {
        final String type;
        final Map<String, Double> values = new ConcurrentSkipListMap<>();

        Metric(String type) {
            this.type = Objects.requireNonNull(type);
        }
    }
}
