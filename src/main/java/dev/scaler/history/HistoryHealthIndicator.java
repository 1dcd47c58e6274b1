package dev.scaler.history;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.aggregator.HealthAggregator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.jdbc.JdbcIndicator;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import javax.sql.DataSource;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * {@code /health}'s {@code jdbc} component, which asks the database for a connection, but only once the history is
 * ready: before, it is DOWN with the reason ({@link HistoryReadiness#state}) and opens nothing, so the service's
 * first answer does not wait for the database and a health check cannot open the pool ahead of the migration.
 */
@Singleton
@Replaces(JdbcIndicator.class)
@Requires(beans = HealthEndpoint.class)
@Requires(property = "endpoints.health.jdbc.enabled", notEquals = "false")
@Requires(beans = DataSource.class)
public class HistoryHealthIndicator extends JdbcIndicator {

    private final HistoryReadiness readiness;

    public HistoryHealthIndicator(@Named(TaskExecutors.BLOCKING) ExecutorService executorService, DataSource[] dataSources,
                                  @Nullable DataSourceResolver dataSourceResolver, HealthAggregator<?> healthAggregator,
                                  HistoryReadiness readiness) {
        super(executorService, dataSources, dataSourceResolver, healthAggregator);
        this.readiness = readiness;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        if (readiness.isReady()) {
            return super.getResult();
        }
        return Publishers.just(HealthResult.builder("jdbc", HealthStatus.DOWN)
                .details(Map.of("history", readiness.state())).build());
    }
}
