package dev.scaler.target;

import dev.scaler.forecast.ForecastSettings;
import dev.scaler.policy.PolicyReader;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.scaler.target.TargetsTest.T;
import static dev.scaler.target.TargetsTest.minimal;
import static dev.scaler.target.TargetsTest.startupProblems;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forecast's keys ({@code predictive*}, docs/forecast.md) in {@code scaler.targets.NAME.*}, through the real
 * Micronaut startup, and in a policy file: bound, defaulted, and refused naming the key and the value.
 */
class PredictiveKeysTest {

    @Test
    void offByDefault() {
        try (ApplicationContext context = ApplicationContext.run(minimal())) {
            Target t = context.getBean(TargetRegistry.class).find("web").orElseThrow();
            assertThat(t.forecast()).isEqualTo(ForecastSettings.DEFAULTS);
            assertThat(t.forecast().enabled()).isFalse();
        }
    }

    @Test
    void bindsEveryKey() {
        Map<String, Object> p = minimal();
        p.put(T + "predictive", "forecast-only");
        p.put(T + "predictive-horizon", "3m");
        p.put(T + "predictive-history", "7d");
        p.put(T + "predictive-min-history", "2d");
        p.put(T + "predictive-step", "1m");
        p.put(T + "predictive-refresh", "30m");
        p.put(T + "predictive-trend-window", "10m");
        p.put(T + "predictive-max-error", "0.4");
        p.put(T + "predictive-margin", "2");
        p.put(T + "predictive-batch", "0s");
        p.put(T + "predictive-tolerance", "0.1");
        try (ApplicationContext context = ApplicationContext.run(p)) {
            ForecastSettings f = context.getBean(TargetRegistry.class).find("web").orElseThrow().forecast();
            assertThat(f).isEqualTo(new ForecastSettings(ForecastSettings.Mode.FORECAST_ONLY, Duration.ofMinutes(3),
                    Duration.ofDays(7), Duration.ofDays(2), Duration.ofMinutes(1), Duration.ofMinutes(30),
                    Duration.ofMinutes(10), 0.4, 2, Duration.ZERO, 0.1));
        }
    }

    @Test
    void environmentVariablesBindToo() {
        try (ApplicationContext context = ApplicationContext.builder().propertySources(PropertySource.of("env",
                Map.of("SCALER_TARGETS_WEB_QUERY", "up", "SCALER_TARGETS_WEB_COMPOSE_PROJECT", "demo",
                        "SCALER_TARGETS_WEB_PREDICTIVE", "on", "SCALER_TARGETS_WEB_PREDICTIVE_STEP", "10m"),
                PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE)).start()) {
            ForecastSettings f = context.getBean(TargetRegistry.class).find("web").orElseThrow().forecast();
            assertThat(f.mode()).isEqualTo(ForecastSettings.Mode.ON);
            assertThat(f.step()).isEqualTo(Duration.ofMinutes(10));
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "predictive|sometimes|scaler.targets.web.predictive: must be one of off, forecast-only, on; got 'sometimes'",
            "predictive-horizon|soon|scaler.targets.web.predictive-horizon: must be a duration such as 15s, 5m, 1h, 14d or PT5M; got 'soon'",
            "predictive-step|7m|scaler.targets.web.predictive-step: must divide a day evenly, got PT7M",
            "predictive-min-history|1h|scaler.targets.web.predictive-min-history: must be at least 1d, one period of the daily profile, got PT1H",
            "predictive-max-error|lots|scaler.targets.web.predictive-max-error: must be a number; got 'lots'",
            "predictive-margin|-1|scaler.targets.web.predictive-margin: must be a number >= 0, got -1.0",
            "predictive-tolerance|1|scaler.targets.web.predictive-tolerance: must be in [0, 1), got 1.0",
            "predictive-refresh|0s|scaler.targets.web.predictive-refresh: must be more than 0, got PT0S",
    })
    void eachBadValueIsNamed(String key, String value, String message) {
        Map<String, Object> p = minimal();
        p.put(T + key, value);
        assertThat(startupProblems(p)).containsExactly(message);
    }

    @Test
    void aTargetScaledOnAMetricsListCannotForecast() {
        Map<String, Object> p = minimal();
        p.remove(T + "query");
        p.put(T + "metrics", List.of(Map.of("name", "cpu", "query", "sum(cpu)", "capacity-per-replica", "1")));
        p.put(T + "predictive", "on");
        assertThat(startupProblems(p)).containsExactly("scaler.targets.web.predictive: 'on' needs the target's query"
                + " alone; a target scaled on metrics: decides reactively (remove predictive, or scale on query)");
    }

    @Test
    void aPolicyFileReadsTheKeysAndPutsEachErrorOnItsLine() {
        PolicyReader.Result ok = PolicyReader.parse("policy.yml", """
                targets:
                  web:
                    query: up
                    compose-project: demo
                    predictive: on
                    predictive-step: 1m
                """, Path.of("hosts.yml"));
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.targets().get(0).forecast().mode()).isEqualTo(ForecastSettings.Mode.ON);
        assertThat(ok.targets().get(0).forecast().step()).isEqualTo(Duration.ofMinutes(1));

        PolicyReader.Result bad = PolicyReader.parse("policy.yml", """
                targets:
                  web:
                    query: up
                    compose-project: demo
                    predictive: sometimes
                    predictive-history: 2 weeks
                """, Path.of("hosts.yml"));
        assertThat(bad.errors()).containsExactly(
                "policy.yml:5: targets.web.predictive: must be one of off, forecast-only, on; got 'sometimes'",
                "policy.yml:6: targets.web.predictive-history: must be a duration such as 15s, 5m, 1h, 14d or PT5M;"
                        + " got '2 weeks'");
    }
}
