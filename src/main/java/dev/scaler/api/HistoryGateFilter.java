package dev.scaler.api;

import dev.scaler.history.HistoryReadiness;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The API and the status page answer only once the history is ready ({@link HistoryReadiness}): the service's HTTP
 * server answers before its schema is migrated and what a previous Scaler left running is closed (issue 11), and
 * no read may show such a run as still running nor any write act before that. A request that comes earlier waits
 * for it, without holding a thread, up to {@link #WAIT}; then, or when the history could not be opened, 503 with
 * the reason and {@code Retry-After}. {@code /health} and {@code /prometheus} do not wait.
 */
@Singleton
@ServerFilter({"/api/**", "/", "/targets/**"})
public class HistoryGateFilter {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryGateFilter.class);
    /** Far longer than a migration of the history takes; a request still waiting then is told to come back. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final HistoryReadiness readiness;

    public HistoryGateFilter(HistoryReadiness readiness) {
        this.readiness = readiness;
    }

    @RequestFilter
    public Publisher<HttpResponse<?>> awaitHistory(HttpRequest<?> request,
                                                   FilterContinuation<Publisher<HttpResponse<?>>> next) {
        if (readiness.isReady()) {
            return next.proceed();
        }
        // the request goes on (or is refused) when the history is ready; until then nothing is subscribed to
        return subscriber -> readiness.whenReady().toCompletableFuture()
                .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ready, failure) -> (failure == null ? next.proceed() : refuse(request)).subscribe(subscriber));
    }

    private Publisher<HttpResponse<?>> refuse(HttpRequest<?> request) {
        String state = readiness.state();
        LOG.info("api request refused: method={} path={} reason=\"the history is {}\"", request.getMethod(),
                request.getPath(), state);
        return Publishers.just(HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(new ApiError(503, "the history is " + state + " (waited " + WAIT.toSeconds() + " s)")));
    }
}
