package dev.scaler.api;

import io.micronaut.context.annotation.Replaces;
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

/**
 * {@code /health} shows its details (disk paths, the JDBC URL) only to a caller that sends the API's credentials
 * ({@code scaler.api.token} or the basic-auth user, as {@link WriteAuthFilter} checks them); anyone else gets the
 * status alone, and a wrong credential is not refused: the status is public.
 *
 * <p>Why here and not through {@code endpoints.health.details-visible: AUTHENTICATED} alone: Micronaut counts a
 * caller as authenticated when the request carries a principal, which only a security module sets, and the
 * endpoint's principal is bound before any filter runs. So the level of detail the endpoint asks for (STATUS, with
 * details-visible AUTHENTICATED and no principal) is raised here, where the request is known.
 */
@Singleton
@Replaces(DefaultHealthAggregator.class)
public class HealthDetailsAggregator implements HealthAggregator<HealthResult> {

    // delegated to, not extended: its protected methods name reactor types, which are not on the compile path
    private final DefaultHealthAggregator aggregator;
    private final WriteAuthFilter credentials;

    public HealthDetailsAggregator(ApplicationConfiguration applicationConfiguration, WriteAuthFilter credentials) {
        this.aggregator = new DefaultHealthAggregator(applicationConfiguration);
        this.credentials = credentials;
    }

    @Override
    public Publisher<HealthResult> aggregate(HealthIndicator[] indicators, HealthLevelOfDetail level) {
        return aggregator.aggregate(indicators, authenticated() ? HealthLevelOfDetail.STATUS_DESCRIPTION_DETAILS
                : HealthLevelOfDetail.STATUS);
    }

    @Override
    public Publisher<HealthResult> aggregate(String name, Publisher<HealthResult> results) {
        return aggregator.aggregate(name, results);
    }

    private boolean authenticated() {
        return ServerRequestContext.currentRequest()
                .map(r -> r.getHeaders().get(HttpHeaders.AUTHORIZATION))
                .filter(a -> credentials.problem(a) == null)
                .isPresent();
    }
}
