package dev.scaler.api;

import dev.scaler.redaction.Redaction;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.management.endpoint.health.HealthLevelOfDetail;
import io.micronaut.management.health.aggregator.DefaultHealthAggregator;
import io.micronaut.management.health.aggregator.HealthAggregator;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.runtime.ApplicationConfiguration;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} shows its details (disk paths, the JDBC URL) only to a caller that sends the API's credentials
 * ({@code scaler.api.token} or the basic-auth user, as {@link WriteAuthFilter} checks them); anyone else gets the
 * status alone, and a wrong credential is not refused: the status is public.
 *
 * <p>Why here and not through {@code endpoints.health.details-visible: AUTHENTICATED} alone: Micronaut counts a
 * caller as authenticated when the request carries a principal, which only a security module sets, and the
 * endpoint's principal is bound before any filter runs. So the level of detail the endpoint asks for (STATUS, with
 * details-visible AUTHENTICATED and no principal) is raised here, where the request is known.
 *
 * <p>Even that caller does not see a secret: Micronaut's JDBC check names its result by the JDBC URL, which may
 * carry the database's password ({@code ?password=}), and a failed check shows the driver's words. Names, keys and
 * texts of the details go through {@link Redaction}.
 */
@Singleton
@Replaces(DefaultHealthAggregator.class)
public class HealthDetailsAggregator implements HealthAggregator<HealthResult> {

    // delegated to, not extended: its protected methods name reactor types, which are not on the compile path
    private final DefaultHealthAggregator aggregator;
    private final WriteAuthFilter credentials;
    private final Redaction redaction;

    public HealthDetailsAggregator(ApplicationConfiguration applicationConfiguration, WriteAuthFilter credentials,
                                   Redaction redaction) {
        this.aggregator = new DefaultHealthAggregator(applicationConfiguration);
        this.credentials = credentials;
        this.redaction = redaction;
    }

    @Override
    public Publisher<HealthResult> aggregate(HealthIndicator[] indicators, HealthLevelOfDetail level) {
        return Publishers.map(aggregator.aggregate(indicators, authenticated()
                ? HealthLevelOfDetail.STATUS_DESCRIPTION_DETAILS : HealthLevelOfDetail.STATUS), this::redacted);
    }

    @Override
    public Publisher<HealthResult> aggregate(String name, Publisher<HealthResult> results) {
        return aggregator.aggregate(name, results);
    }

    private HealthResult redacted(HealthResult result) {
        return HealthResult.builder(redaction.apply(result.getName()), result.getStatus())
                .details(redacted(result.getDetails())).build();
    }

    private Object redacted(Object details) {
        if (details instanceof HealthResult result) {
            return redacted(result);
        }
        if (details instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(redacted(k), redacted(v)));
            return out;
        }
        return details instanceof CharSequence text ? redaction.apply(text.toString()) : details;
    }

    private boolean authenticated() {
        return ServerRequestContext.currentRequest()
                .map(r -> r.getHeaders().get(HttpHeaders.AUTHORIZATION))
                .filter(a -> credentials.problem(a) == null)
                .isPresent();
    }
}
