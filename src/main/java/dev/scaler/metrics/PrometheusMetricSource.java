package dev.scaler.metrics;

import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricState;
import dev.scaler.decision.RangeReading;
import io.micronaut.http.ByteBodyHttpResponse;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.body.CloseableAvailableByteBody;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClientConfiguration;
import io.micronaut.http.client.RawHttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.ssl.ClientSslConfiguration;
import io.micronaut.http.ssl.SslConfiguration;
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    /** Beyond the configured timeout, the time the client is given to report its own timeout with its reason. */
    private static final long ANSWER_MARGIN_MILLIS = 1_000;

    private final PrometheusConfiguration config;
    private final Clock clock;
    private final QueryResponseClassifier classifier;
    /** The Micronaut client's raw exchange: the same pooled Netty client, without binding the body per request. */
    private final RawHttpClient raw;
    /**
     * Each target asks the same query on every tick, and building its URI (parse, encode) cost a quarter of a
     * query's CPU in this process: built once per query text. Bounded, for policy files that keep changing.
     */
    private final Map<String, URI> queryUris = new ConcurrentHashMap<>();

    public PrometheusMetricSource(PrometheusConfiguration config, Clock clock, JsonMapper json) {
        this.config = config;
        this.clock = clock;
        this.classifier = new QueryResponseClassifier(json, config.freshness());
        this.raw = createClient(config);
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
            Answer answer = exchange(request);
            return classifier.classifyRange(answer.status(), answer.bodyText());
        } catch (HttpClientResponseException e) {
            return classifier.classifyRange(e.code(), e.getResponse().getBody(String.class).orElse(""));
        } catch (HttpClientException | TimeoutException e) {
            return RangeReading.failed(MetricState.UNREACHABLE, "Prometheus at " + config.shownUrl()
                    + " did not answer (timeout " + config.timeout() + "): " + describe(e));
        } catch (RuntimeException e) {
            return RangeReading.failed(MetricState.ERROR, "querying " + config.shownUrl() + " failed: " + describe(e));
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
            Answer answer = exchange(request);
            return classifier.classify(answer.status(), answer.body(), now);
        } catch (HttpClientResponseException e) {
            return classifier.classify(e.code(), e.getResponse().getBody(String.class).orElse(""), now);
        } catch (HttpClientException | TimeoutException e) {
            return MetricReading.failed(MetricState.UNREACHABLE, "Prometheus at " + config.shownUrl()
                    + " did not answer (timeout " + config.timeout() + "): " + describe(e));
        } catch (RuntimeException e) {
            // Anything else is our bug or an odd environment; still a reading, never an exception for the caller.
            return MetricReading.failed(MetricState.ERROR, "querying " + config.shownUrl() + " failed: " + describe(e));
        }
    }

    /** A status and the body's bytes, as they came. */
    private record Answer(int status, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * One request over the client's raw exchange: the answer's status and bytes as they come, for the classifier
     * to parse. The typed exchange ({@code toBlocking().exchange(request, String)}) cost more than the query
     * itself in this process (per request: a Reactor chain to block on, the body bound to a String through the
     * conversion service, an error status turned into an exception and back); the pool, the codec, TLS and the
     * timeouts are the same client's. Waits at most the timeout (plus a margin for the client's own timeout to
     * fire first with its reason), then gives the request up.
     */
    private Answer exchange(MutableHttpRequest<?> request) throws TimeoutException {
        SingleResponse pending = new SingleResponse();
        raw.exchange(request, null, Thread.currentThread()).subscribe(pending);
        HttpResponse<?> response;
        try {
            response = pending.result.get(config.timeout().toMillis() + ANSWER_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new HttpClientException(describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            pending.cancel();
            Thread.currentThread().interrupt();
            throw new HttpClientException("interrupted while waiting for Prometheus", e);
        } catch (TimeoutException e) {
            pending.cancel();
            throw new TimeoutException("no answer within " + config.timeout());
        }
        if (response == null) {
            throw new HttpClientException("the client completed without a response");
        }
        try {
            if (response instanceof ByteBodyHttpResponse<?> bytes) {
                try (CloseableAvailableByteBody body = bytes.byteBody().buffer()
                        .get(config.timeout().toMillis() + ANSWER_MARGIN_MILLIS, TimeUnit.MILLISECONDS)) {
                    return new Answer(response.code(), body.toByteArray());
                }
            }
            // a client filter may replace the raw response; none is installed on this client, but stay correct
            return new Answer(response.code(), response.getBody(byte[].class).orElse(new byte[0]));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new HttpClientException(describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpClientException("interrupted while reading Prometheus' answer", e);
        } finally {
            if (response instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (IOException ignored) {
                    // releasing a buffer the body was already read from
                }
            }
        }
    }

    /** The one response of a raw exchange, as a future; no Reactor chain per request. */
    private static final class SingleResponse implements Subscriber<HttpResponse<?>> {
        final CompletableFuture<HttpResponse<?>> result = new CompletableFuture<>();
        private volatile Subscription subscription;

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(HttpResponse<?> response) {
            if (!result.complete(response) && response instanceof Closeable closeable) {
                try {
                    closeable.close(); // given up on already (timeout): release the body
                } catch (IOException ignored) {
                    // nothing to release it to
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(null);
        }

        void cancel() {
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            // a response that still arrives is closed by onNext
            result.cancel(false);
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

    private static RawHttpClient createClient(PrometheusConfiguration config) {
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
            return RawHttpClient.create(config.url().toURL().toURI(), http);
        } catch (MalformedURLException | URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException(PrometheusConfiguration.PREFIX + ".url " + config.shownUrl() + ": " + e.getMessage(), e);
        }
    }

    @PreDestroy
    @Override
    public void close() {
        try {
            raw.close();
        } catch (IOException e) {
            LOG.warn("closing the Prometheus client: {}", e.toString());
        }
    }
}
