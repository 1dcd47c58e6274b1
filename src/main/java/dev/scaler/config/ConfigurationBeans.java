package dev.scaler.config;

import dev.scaler.ScalerConfiguration;
import dev.scaler.api.ApiConfiguration;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.history.HistoryConfiguration;
import dev.scaler.metrics.PrometheusConfiguration;
import dev.scaler.policy.PolicyConfiguration;
import dev.scaler.redaction.Redaction;
import dev.scaler.status.StatusPageConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

import java.util.Arrays;

/**
 * The typed configuration records as beans. {@link Configurations} is a {@link Context} bean, so a bad
 * value stops startup before any other bean, and before the schedulers read the same keys as text.
 */
@Factory
public class ConfigurationBeans {

    @Context
    Configurations configurations(Environment environment) {
        // Object, not a target type: the raw value as written (text, a YAML number or list), which
        // Settings parses; Micronaut's own conversion would turn a bad value into the default.
        return Configurations.read(key -> environment.getProperty(key, Object.class));
    }

    @Singleton
    ScalerConfiguration scaler(Configurations c) {
        return c.scaler();
    }

    @Singleton
    PolicyConfiguration policy(Configurations c) {
        return c.policy();
    }

    @Singleton
    PrometheusConfiguration prometheus(Configurations c) {
        return c.prometheus();
    }

    @Singleton
    ExecutionConfiguration execution(Configurations c) {
        return c.execution();
    }

    @Singleton
    HistoryConfiguration history(Configurations c) {
        return c.history();
    }

    @Singleton
    ApiConfiguration api(Configurations c) {
        return c.api();
    }

    @Singleton
    dev.scaler.containers.ContainerMetricsConfiguration containerMetrics(Configurations c) {
        return c.containerMetrics();
    }

    @Singleton
    dev.scaler.leader.LeaderConfiguration leader(Configurations c) {
        return c.leader();
    }

    @Singleton
    StatusPageConfiguration statusPage(Configurations c) {
        return c.statusPage();
    }

    /**
     * The secrets the status page, the API's reads and {@code /health} hide, besides the URL forms. Not the history
     * database's password: no driver message quotes it, a JDBC URL's {@code password=} is a URL form already, and a
     * weak one ({@code postgres}) would be cut out of every text, the JDBC URL's scheme included.
     */
    @Singleton
    Redaction redaction(ApiConfiguration api, PrometheusConfiguration prometheus) {
        return Redaction.of(Arrays.asList(api.token(), api.password(), prometheus.password(),
                prometheus.bearerToken()));
    }
}
