package dev.scaler.metrics;

import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricState;
import dev.scaler.decision.RangeReading;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.HttpClientConfiguration;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.ssl.ClientSslConfiguration;
import io.micronaut.http.ssl.SslConfiguration;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads one number from Prometheus' instant query API. The HTTP part is thin: it sends the query with the
 * configured authentication and hands status and body to {@link QueryResponseClassifier}; only failures to get
 * an answer at all (refused, unknown host, timeout, TLS) are classified here, as UNREACHABLE.
 */
@Singleton
public class PrometheusMetricSource implements MetricSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetricSource.class);
    /** Queries in flight at once, over as many kept-alive connections: the default number of loop workers. */
    static final int QUERIES_IN_FLIGHT = 8;
    private static final int MAX_CACHED_URIS = 10_000;

    private final PrometheusConfiguration config;
    private final Clock clock;
    private final QueryResponseClassifier classifier;
    private final HttpClient client;
    /**
     * Each target asks the same query on every tick, and building its URI (parse, encode) cost a quarter of a
     * query's CPU in this process: built once per query text. Bounded, for policy files that keep changing.
     */
    private final Map<String, URI> queryUris = new ConcurrentHashMap<>();

    public PrometheusMetricSource(PrometheusConfiguration config, Clock clock, JsonMapper json) {
        this.config = config;
        this.clock = clock;
        this.classifier = new QueryResponseClassifier(json, config.freshness());
        this.client = createClient(config);
    }

    @Override
    public MetricReading read(String promql) {
        MetricReading reading = query(promql);
        if (reading.state() != MetricState.HEALTHY) {
            LOG.warn("Prometheus query {} is {}: {}", promql, reading.state(), reading.detail());
        }
        return reading;
    }

    @Override
    public RangeReading readRange(String promql, Instant from, Instant to, Duration step) {
        RangeReading reading = queryRange(promql, from, to, step);
        if (reading.state() != MetricState.HEALTHY) {
            LOG.warn("Prometheus range query {} is {}: {}", promql, reading.state(), reading.detail());
        }
        return reading;
    }

    private RangeReading queryRange(String promql, Instant from, Instant to, Duration step) {
        MutableHttpRequest<?> request;
        try {
            request = authenticate(HttpRequest.GET(UriBuilder.of(config.url())
                    .path("api/v1/query_range")
                    .queryParam("query", promql)
                    .queryParam("start", unixSeconds(from.toEpochMilli()))
                    .queryParam("end", unixSeconds(to.toEpochMilli()))
                    .queryParam("step", unixSeconds(step.toMillis()))
                    .build()));
        } catch (IOException e) {
            return RangeReading.failed(MetricState.ERROR, "cannot read " + PrometheusConfiguration.PREFIX
                    + ".bearer-token-file " + config.bearerTokenFile() + ": " + e);
        }
        try {
            HttpResponse<String> response = client.toBlocking().exchange(request, Argument.STRING, Argument.STRING);
            return classifier.classifyRange(response.code(), response.getBody(String.class).orElse(""));
        } catch (HttpClientResponseException e) {
            return classifier.classifyRange(e.code(), e.getResponse().getBody(String.class).orElse(""));
        } catch (HttpClientException e) {
            return RangeReading.failed(MetricState.UNREACHABLE, "Prometheus at " + config.url()
                    + " did not answer (timeout " + config.timeout() + "): " + describe(e));
        } catch (RuntimeException e) {
            return RangeReading.failed(MetricState.ERROR, "querying " + config.url() + " failed: " + describe(e));
        }
    }

    private static String unixSeconds(long millis) {
        return BigDecimal.valueOf(millis).movePointLeft(3).toPlainString();
    }

    private MetricReading query(String promql) {
        Instant now = clock.instant();
        MutableHttpRequest<?> request;
        try {
            request = authenticate(HttpRequest.GET(cachedQueryUri(promql)));
        } catch (IOException e) {
            return MetricReading.failed(MetricState.ERROR, "cannot read " + PrometheusConfiguration.PREFIX
                    + ".bearer-token-file " + config.bearerTokenFile() + ": " + e);
        }
        try {
            HttpResponse<String> response = client.toBlocking().exchange(request, Argument.STRING, Argument.STRING);
            return classifier.classify(response.code(), response.getBody(String.class).orElse(""), now);
        } catch (HttpClientResponseException e) {
            return classifier.classify(e.code(), e.getResponse().getBody(String.class).orElse(""), now);
        } catch (HttpClientException e) {
            return MetricReading.failed(MetricState.UNREACHABLE, "Prometheus at " + config.url()
                    + " did not answer (timeout " + config.timeout() + "): " + describe(e));
        } catch (RuntimeException e) {
            // Anything else is our bug or an odd environment; still a reading, never an exception for the caller.
            return MetricReading.failed(MetricState.ERROR, "querying " + config.url() + " failed: " + describe(e));
        }
    }

    private URI cachedQueryUri(String promql) {
        if (queryUris.size() >= MAX_CACHED_URIS) {
            queryUris.clear();
        }
        return queryUris.computeIfAbsent(promql, this::queryUri);
    }

    /**
     * Deliberately no {@code time} parameter. Prometheus stamps an instant query's sample with the evaluation time,
     * not the scrape time, so sending our clock's "now" would make every answer look exactly fresh and the
     * freshness check could never fire. Letting Prometheus evaluate at its own "now" and comparing that stamp with
     * our clock catches what the check is for: an answer that is not about now (a caching proxy, a Prometheus
     * whose clock or evaluation lags, clock skew between the hosts).
     */
    private URI queryUri(String promql) {
        return UriBuilder.of(config.url())
                .path("api/v1/query")
                .queryParam("query", promql)
                .build();
    }

    private MutableHttpRequest<?> authenticate(MutableHttpRequest<?> request) throws IOException {
        if (config.username() != null) {
            return request.basicAuth(config.username(), config.password());
        }
        if (config.bearerToken() != null) {
            return request.bearerAuth(config.bearerToken());
        }
        if (config.bearerTokenFile() != null) {
            // Read on every request: the token may have been rotated since the last one.
            return request.bearerAuth(Files.readString(config.bearerTokenFile()).strip());
        }
        return request;
    }

    /** The message and the causes that add something to it (Netty's chains repeat the same text a lot). */
    private static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && !out.toString().contains(message)) {
                out.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(message).append(')');
            }
        }
        return out.toString();
    }

    private static HttpClient createClient(PrometheusConfiguration config) {
        DefaultHttpClientConfiguration http = new DefaultHttpClientConfiguration();
        http.setConnectTimeout(config.timeout());
        http.setReadTimeout(config.timeout());
        http.setRequestTimeout(config.timeout());
        // one pool of kept-alive connections for every target's queries; the loop's workers issue them at once,
        // and a query beyond the bound waits for a connection instead of opening one more
        HttpClientConfiguration.ConnectionPoolConfiguration pool = http.getConnectionPoolConfiguration();
        pool.setEnabled(true);
        pool.setMaxConcurrentHttp1Connections(QUERIES_IN_FLIGHT);
        if (config.caFile() != null) {
            PemTrustStore store = PemTrustStore.fromPem(config.caFile());
            SslConfiguration.TrustStoreConfiguration trust = new SslConfiguration.TrustStoreConfiguration();
            trust.setPath("file:" + store.file().toAbsolutePath());
            trust.setType(store.type());
            trust.setPassword(store.password());
            ClientSslConfiguration ssl = new ClientSslConfiguration();
            ssl.setTrustStore(trust);
            http.setSslConfiguration(ssl);
        } else if ("http".equalsIgnoreCase(config.url().getScheme())) {
            // plain HTTP: the client would otherwise build a TLS context at its first request anyway, about
            // 400 JSSE classes (issue 11)
            http.getSslConfiguration().setEnabled(false);
        }
        try {
            return HttpClient.create(config.url().toURL(), http);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(PrometheusConfiguration.PREFIX + ".url " + config.url() + ": " + e.getMessage(), e);
        }
    }

    @PreDestroy
    @Override
    public void close() {
        client.close();
    }
}
