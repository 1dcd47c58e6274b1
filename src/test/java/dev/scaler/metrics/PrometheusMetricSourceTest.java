package dev.scaler.metrics;

import com.sun.net.httpserver.HttpServer;
import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricState;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.ScalerProcess;
import dev.scaler.testing.TestExporter;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PrometheusMetricSource} against a real prometheus scraping a {@link TestExporter}, and against tiny fake
 * servers for what a real Prometheus will not do on demand (503, authentication headers, hanging).
 * One Prometheus is shared by the tests of this class and started by the first test that needs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusMetricSourceTest {

    private static final Duration SCRAPED_WITHIN = Duration.ofSeconds(20);

    private final JsonMapper json = JsonMapper.createDefault();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private TestExporter exporter;
    private PrometheusProcess prometheus;

    @AfterEach
    void closeSources() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
        toClose.clear();
    }

    @AfterAll
    void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    @Test
    void healthyValueMatchesTheExporter() {
        RealParts.requireCommand("prometheus");
        startPrometheus();
        exporter.set("webapp_load", 12.5);
        prometheus.awaitData("webapp_load", SCRAPED_WITHIN);

        MetricReading reading = source(prometheus.url()).read("webapp_load");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.HEALTHY);
        assertThat(reading.value()).isEqualTo(12.5);
        assertThat(reading.sampledAt()).isBetween(Instant.now().minusSeconds(5), Instant.now().plusSeconds(1));
        // '+' and spaces survive the URL encoding.
        assertThat(source(prometheus.url()).read("webapp_load + 1").value()).isEqualTo(13.5);
    }

    @Test
    void requestRateFromRealHits() throws Exception {
        RealParts.requireCommand("prometheus");
        startPrometheus();
        prometheus.awaitData("webapp_requests_total", SCRAPED_WITHIN);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 20; i++) {
            http.send(java.net.http.HttpRequest.newBuilder(URI.create(exporter.url() + "/hit")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        }
        prometheus.awaitData("webapp_requests_total >= 20", SCRAPED_WITHIN);

        MetricReading reading = source(prometheus.url()).read("max_over_time(webapp_requests_total[1m])");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.HEALTHY);
        assertThat(reading.value()).isGreaterThanOrEqualTo(20.0);
    }

    @Test
    void unknownMetricIsEmptyNotZero() {
        RealParts.requireCommand("prometheus");
        startPrometheus();

        MetricReading reading = source(prometheus.url()).read("webapp_no_such_metric");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.EMPTY);
        assertThat(reading.value()).isNaN();
    }

    @Test
    void nanGaugeIsNotANumber() {
        RealParts.requireCommand("prometheus");
        startPrometheus();
        exporter.set("webapp_nan", Double.NaN);
        prometheus.awaitData("webapp_nan", SCRAPED_WITHIN);

        MetricReading reading = source(prometheus.url()).read("webapp_nan");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.NOT_A_NUMBER);
    }

    @Test
    void infiniteGaugeIsNotANumber() {
        RealParts.requireCommand("prometheus");
        startPrometheus();
        exporter.set("webapp_inf", Double.POSITIVE_INFINITY);
        prometheus.awaitData("webapp_inf", SCRAPED_WITHIN);

        MetricReading reading = source(prometheus.url()).read("webapp_inf");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.NOT_A_NUMBER);
        assertThat(reading.detail()).contains("+Inf");
    }

    @Test
    void twoSeriesAreMultipleSeries() {
        RealParts.requireCommand("prometheus");
        startPrometheus();
        exporter.set("webapp_per_replica", Map.of("replica", "a"), 1);
        exporter.set("webapp_per_replica", Map.of("replica", "b"), 2);
        prometheus.awaitData("count(webapp_per_replica) == 2", SCRAPED_WITHIN);

        MetricReading reading = source(prometheus.url()).read("webapp_per_replica");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.MULTIPLE_SERIES);
        assertThat(reading.detail()).contains("2 series").contains("replica=\"a\"").contains("replica=\"b\"");
    }

    @Test
    void badPromqlIsErrorWithBadData() {
        RealParts.requireCommand("prometheus");
        startPrometheus();

        MetricReading reading = source(prometheus.url()).read("sum(webapp_load");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.ERROR);
        assertThat(reading.detail()).contains("errorType=bad_data").contains("HTTP 400");
    }

    @Test
    void sampleOlderThanFreshnessIsStale() {
        RealParts.requireCommand("prometheus");
        startPrometheus();
        exporter.set("webapp_load", 12.5);
        prometheus.awaitData("webapp_load", SCRAPED_WITHIN);
        Clock tenMinutesAhead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));

        MetricReading reading = source(PrometheusConfiguration.forUrl(prometheus.url()), tenMinutesAhead).read("webapp_load");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.STALE);
        assertThat(reading.detail()).contains("older than the freshness limit PT2M");
    }

    @Test
    void killedPrometheusIsUnreachableWithinTheTimeout() {
        RealParts.requireCommand("prometheus");
        try (TestExporter own = TestExporter.start();
             PrometheusProcess doomed = PrometheusProcess.start(List.of(own.address()))) {
            own.set("webapp_load", 3);
            doomed.awaitData("webapp_load", SCRAPED_WITHIN);
            Duration timeout = Duration.ofSeconds(2);
            PrometheusMetricSource source = source(PrometheusConfiguration.forUrl(doomed.url()).withTimeout(timeout),
                    Clock.systemUTC());
            assertThat(source.read("webapp_load").state()).isEqualTo(MetricState.HEALTHY);

            doomed.kill();
            long started = System.nanoTime();
            MetricReading reading = source.read("webapp_load");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.UNREACHABLE);
            assertThat(reading.detail()).contains(doomed.url().toString());
            assertThat(took).isLessThan(timeout.plusMillis(500));
        }
    }

    @Test
    void nothingListeningIsUnreachable() {
        URI url = URI.create("http://127.0.0.1:" + ScalerProcess.freePort());

        MetricReading reading = source(url).read("webapp_load");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.UNREACHABLE);
        assertThat(reading.detail()).contains(url.toString()).containsIgnoringCase("refused");
    }

    @Test
    void aUrlsPasswordIsNeverInTheReason() {
        int port = ScalerProcess.freePort();
        URI url = URI.create("http://scaler:s3cret-pw@127.0.0.1:" + port + "/prom");

        MetricReading reading = source(url).read("webapp_load");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.UNREACHABLE);
        assertThat(reading.detail()).contains("http://***@127.0.0.1:" + port + "/prom").doesNotContain("s3cret-pw")
                .doesNotContain("scaler:");
    }

    @Test
    void unknownHostIsUnreachable() {
        URI url = URI.create("http://prometheus.invalid:9090");

        MetricReading reading = source(url).read("webapp_load");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.UNREACHABLE);
        assertThat(reading.detail()).contains(url.toString());
    }

    @Test
    void hangingServerIsUnreachableAfterTheTimeout() {
        FakePrometheus fake = fake(exchange -> {
            sleep(Duration.ofSeconds(5));
            return new Answer(200, okBody(Instant.now()));
        });
        Duration timeout = Duration.ofMillis(800);
        PrometheusMetricSource source = source(PrometheusConfiguration.forUrl(fake.url()).withTimeout(timeout), Clock.systemUTC());

        long started = System.nanoTime();
        MetricReading reading = source.read("webapp_load");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.UNREACHABLE);
        assertThat(reading.detail()).contains(fake.url().toString());
        assertThat(took).isLessThan(timeout.plusSeconds(1));
    }

    @Test
    void serviceUnavailableIsNotReady() {
        FakePrometheus fake = fake(exchange -> new Answer(503, "Service Unavailable"));

        MetricReading reading = source(fake.url()).read("webapp_load");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.NOT_READY);
    }

    @Test
    void sendsTheQueryEncodedAndNoEvaluationTime() {
        FakePrometheus fake = fake(exchange -> new Answer(200, okBody(Instant.now())));
        String promql = "sum(rate(webapp_requests_total{job=~\"web.*\"}[1m])) by (job) + 1";

        source(fake.url()).read(promql);

        assertThat(fake.lastPath()).isEqualTo("/api/v1/query");
        assertThat(fake.lastQuery()).isEqualTo("query=" + promql);
    }

    @Test
    void keepsABasePathOfTheUrl() {
        FakePrometheus fake = fake(exchange -> new Answer(200, okBody(Instant.now())));

        source(URI.create(fake.url() + "/prometheus")).read("webapp_load");

        assertThat(fake.lastPath()).isEqualTo("/prometheus/api/v1/query");
    }

    @Test
    void sendsBearerToken() {
        FakePrometheus fake = fake(exchange -> new Answer(200, okBody(Instant.now())));
        PrometheusConfiguration config = new PrometheusConfiguration(fake.url(), null, null, null, null, "s3cret", null, null);

        MetricReading reading = source(config, Clock.systemUTC()).read("webapp_load");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.HEALTHY);
        assertThat(fake.authorizations()).containsExactly("Bearer s3cret");
    }

    @Test
    void sendsBasicAuth() {
        FakePrometheus fake = fake(exchange -> new Answer(200, okBody(Instant.now())));
        PrometheusConfiguration config = new PrometheusConfiguration(fake.url(), null, null, "scaler", "pa:ss", null, null, null);

        MetricReading reading = source(config, Clock.systemUTC()).read("webapp_load");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.HEALTHY);
        String expected = java.util.Base64.getEncoder().encodeToString("scaler:pa:ss".getBytes(StandardCharsets.UTF_8));
        assertThat(fake.authorizations()).containsExactly("Basic " + expected);
    }

    @Test
    void rereadsTheBearerTokenFileOnEveryRequest(@TempDir Path dir) throws IOException {
        FakePrometheus fake = fake(exchange -> new Answer(200, okBody(Instant.now())));
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "first\n");
        PrometheusConfiguration config = new PrometheusConfiguration(fake.url(), null, null, null, null, null, tokenFile, null);
        PrometheusMetricSource source = source(config, Clock.systemUTC());

        source.read("webapp_load");
        Files.writeString(tokenFile, "second\n");
        source.read("webapp_load");

        assertThat(fake.authorizations()).containsExactly("Bearer first", "Bearer second");
    }

    @Test
    void missingBearerTokenFileIsAnErrorReading(@TempDir Path dir) {
        FakePrometheus fake = fake(exchange -> new Answer(200, okBody(Instant.now())));
        PrometheusConfiguration config = new PrometheusConfiguration(fake.url(), null, null, null, null, null,
                dir.resolve("missing"), null);

        MetricReading reading = source(config, Clock.systemUTC()).read("webapp_load");

        assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.ERROR);
        assertThat(reading.detail()).contains("bearer-token-file");
        assertThat(fake.authorizations()).isEmpty();
    }

    @Test
    void isABeanWiredFromConfiguration() {
        FakePrometheus fake = fake(exchange -> new Answer(200, okBody(Instant.now())));
        try (io.micronaut.context.ApplicationContext context = io.micronaut.context.ApplicationContext.run(
                Map.of("scaler.prometheus.url", fake.url().toString()))) {
            MetricReading reading = context.getBean(MetricSource.class).read("webapp_load");

            assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.HEALTHY);
            assertThat(reading.value()).isEqualTo(1.0);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private void startPrometheus() {
        if (prometheus == null) {
            exporter = TestExporter.start();
            prometheus = PrometheusProcess.start(List.of(exporter.address()));
        }
    }

    private PrometheusMetricSource source(URI url) {
        return source(PrometheusConfiguration.forUrl(url), Clock.systemUTC());
    }

    private PrometheusMetricSource source(PrometheusConfiguration config, Clock clock) {
        PrometheusMetricSource source = new PrometheusMetricSource(config, clock, json);
        toClose.add(source);
        return source;
    }

    private FakePrometheus fake(Handler handler) {
        FakePrometheus fake = new FakePrometheus(handler);
        toClose.add(fake);
        return fake;
    }

    static String okBody(Instant at) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":["
                + at.getEpochSecond() + ".0,\"1\"]}]}}";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    record Answer(int status, String body) {
    }

    interface Handler {
        Answer answer(com.sun.net.httpserver.HttpExchange exchange);
    }

    /** A stand-in for Prometheus that answers what the test says and records what it was sent. */
    static final class FakePrometheus implements AutoCloseable {
        private final HttpServer server;
        private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
        private volatile String lastQuery = "";
        private volatile String lastPath = "";

        FakePrometheus(Handler handler) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (authorization != null) {
                    authorizations.add(authorization);
                }
                // Decoded as an HTML form, like Prometheus does: '+' is a space, %2B a plus.
                String raw = exchange.getRequestURI().getRawQuery();
                lastQuery = raw == null ? "" : java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
                lastPath = exchange.getRequestURI().getPath();
                Answer answer = handler.answer(exchange);
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        List<String> authorizations() {
            return List.copyOf(authorizations);
        }

        String lastPath() {
            return lastPath;
        }

        String lastQuery() {
            return lastQuery;
        }

        @Override
        public void close() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
