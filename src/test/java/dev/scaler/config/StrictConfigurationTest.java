package dev.scaler.config;

import dev.scaler.ScalerConfiguration;
import dev.scaler.api.ApiConfiguration;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.history.HistoryConfiguration;
import dev.scaler.metrics.PrometheusConfiguration;
import dev.scaler.policy.PolicyConfiguration;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every scaler.* key, through the real Micronaut startup: a bad value stops it, naming key, value and rule. */
@Tag("chaos")
class StrictConfigurationTest {

    private static final String DURATION = "is not a duration (use 250ms, 15s, 5m, 1h, 1d or ISO-8601 like PT15S)";

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            scaler.poll-interval                  | soon        | scaler.poll-interval: 'soon' %DURATION%
            scaler.poll-interval                  | 0s          | scaler.poll-interval: '0s' must be more than 0 (a duration; use 250ms, 15s, 5m, 1h, 1d or ISO-8601 like PT15S)
            scaler.initial-delay                  | later       | scaler.initial-delay: 'later' %DURATION%
            scaler.initial-delay                  | -PT1S       | scaler.initial-delay: '-PT1S' must be >= 0 (a duration; use 250ms, 15s, 5m, 1h, 1d or ISO-8601 like PT15S)
            scaler.dry-run                        | maybe       | scaler.dry-run: 'maybe' is not a boolean (use true or false; yes/no and on/off work too)
            scaler.workers                        | many        | scaler.workers: 'many' is not a whole number (from 1 to 256)
            scaler.workers                        | 0           | scaler.workers: '0' is out of range (a whole number from 1 to 256)
            scaler.workers                        | 257         | scaler.workers: '257' is out of range (a whole number from 1 to 256)
            scaler.policy-reload-interval         | often       | scaler.policy-reload-interval: 'often' %DURATION%
            scaler.prometheus.url                 | not a url at all | scaler.prometheus.url: 'not a url at all' is not an http or https URL with a host (like http://prometheus:9090)
            scaler.prometheus.url                 | ftp://p:21  | scaler.prometheus.url: 'ftp://p:21' is not an http or https URL with a host (like http://prometheus:9090)
            scaler.prometheus.url                 | admin:s3cret@prom:9090 | scaler.prometheus.url: '***@prom:9090' is not an http or https URL with a host (like http://prometheus:9090)
            scaler.prometheus.url                 | http://admin:s3 cret@prom:9090 | scaler.prometheus.url: 'http://***@prom:9090' is not an http or https URL with a host (like http://prometheus:9090)
            scaler.prometheus.timeout             | soon        | scaler.prometheus.timeout: 'soon' %DURATION%
            scaler.prometheus.freshness           | fresh       | scaler.prometheus.freshness: 'fresh' %DURATION%
            scaler.prometheus.freshness           | 0ms         | scaler.prometheus.freshness: '0ms' must be more than 0 (a duration; use 250ms, 15s, 5m, 1h, 1d or ISO-8601 like PT15S)
            scaler.prometheus.username            | scaler      | Basic auth needs both scaler.prometheus.username and scaler.prometheus.password
            scaler.execution.timeout              | 5 minutes   | scaler.execution.timeout: '5 minutes' %DURATION%
            scaler.execution.shutdown-grace       | 0s          | scaler.execution.shutdown-grace: '0s' must be more than 0 (a duration; use 250ms, 15s, 5m, 1h, 1d or ISO-8601 like PT15S)
            scaler.execution.shutdown-grace       | eight       | scaler.execution.shutdown-grace: 'eight' %DURATION%
            scaler.execution.pass-environment     | "HOME,1BAD" | scaler.execution.pass-environment: '1BAD' is not an environment variable name (letters, digits and '_', not starting with a digit), nor such a prefix ending in '*'
            scaler.history.retention              | forever     | scaler.history.retention: 'forever' %DURATION%
            scaler.history.purge-interval         | 0s          | scaler.history.purge-interval: '0s' must be more than 0 (a duration; use 250ms, 15s, 5m, 1h, 1d or ISO-8601 like PT15S)
            scaler.api.token                      | "  "        | scaler.api.token is set but empty; set a secret or remove the key
            scaler.api.username                   | a:b         | scaler.api.username and scaler.api.password go together; got username 'a:b' without a password
            scaler.api.max-alert-body             | 1MB         | scaler.api.max-alert-body: '1MB' is not a whole number (from 1024 to 9223372036854775807)
            scaler.api.max-alert-body             | 100         | scaler.api.max-alert-body: '100' is out of range (a whole number from 1024 to 9223372036854775807)
            scaler.api.alert-dedupe-window        | 1 hour      | scaler.api.alert-dedupe-window: '1 hour' %DURATION%
            scaler.container-metrics.enabled      | sometimes   | scaler.container-metrics.enabled: 'sometimes' is not a boolean (use true or false; yes/no and on/off work too)
            scaler.container-metrics.interval     | often       | scaler.container-metrics.interval: 'often' %DURATION%
            scaler.container-metrics.interval     | 0s          | scaler.container-metrics.interval: '0s' must be more than 0 (a duration; use 250ms, 15s, 5m, 1h, 1d or ISO-8601 like PT15S)
            scaler.container-metrics.concurrency  | 0           | scaler.container-metrics.concurrency: '0' is out of range (a whole number from 1 to 32)
            scaler.container-metrics.concurrency  | four        | scaler.container-metrics.concurrency: 'four' is not a whole number (from 1 to 32)
            scaler.leader.lease-duration          | soon        | scaler.leader.lease-duration: 'soon' %DURATION%
            scaler.leader.lease-duration          | 100ms       | scaler.leader.lease-duration: must be at least 400ms, got PT0.1S
            scaler.leader.instance-id             | "a b"       | scaler.leader.instance-id: must be 1 to 255 printable characters without spaces, got 'a b'
            scaler.leader.advertise-url           | here        | scaler.leader.advertise-url: 'here' is not an http or https URL with a host (like http://prometheus:9090)
            scaler.docker.host                    | localhost   | scaler.docker.host: 'localhost' is not a Docker engine address (like unix:///var/run/docker.sock or tcp://host:2375)
            """)
    void aBadValueStopsStartupNamingKeyValueAndRule(String key, String value, String expected) {
        String message = expected.replace("%DURATION%", DURATION);
        assertThat(startupFailure(Map.of(key, value))).contains("\n  " + message);
    }

    @Test
    void everyProblemIsListedAtOnce() {
        String message = startupFailure(Map.of(
                "scaler.prometheus.url", "not a url at all",
                "scaler.prometheus.timeout", "soon",
                "scaler.poll-interval", "often",
                "scaler.workers", "x"));
        assertThat(message).startsWith("Invalid configuration (4 problems):")
                .contains("scaler.prometheus.url: 'not a url at all'", "scaler.prometheus.timeout: 'soon'",
                        "scaler.poll-interval: 'often'", "scaler.workers: 'x'");
    }

    @Test
    void environmentVariablesAreJustAsStrict() {
        String message = startupFailure(PropertySource.of("test-env", Map.of(
                        "SCALER_PROMETHEUS_TIMEOUT", "soon", "SCALER_POLL_INTERVAL", "often"),
                PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE));
        assertThat(message).contains("scaler.prometheus.timeout: 'soon' " + DURATION,
                "scaler.poll-interval: 'often' " + DURATION);
    }

    @Test
    void goodValuesBind() {
        Map<String, Object> p = new java.util.HashMap<>();
        p.put("scaler.poll-interval", "PT30S");
        p.put("scaler.initial-delay", "0s");
        p.put("scaler.dry-run", "yes");
        p.put("scaler.workers", 3);
        p.put("scaler.policy-reload-interval", "2s");
        p.put("scaler.prometheus.url", "https://prometheus.example:9443/prom");
        p.put("scaler.prometheus.timeout", "750ms");
        p.put("scaler.prometheus.freshness", "1m");
        p.put("scaler.execution.timeout", "1h");
        p.put("scaler.execution.shutdown-grace", "20s");
        p.put("scaler.execution.lock-dir", "/var/lib/scaler/locks");
        p.put("scaler.execution.pass-environment", List.of("HTTP_PROXY", "no_proxy"));
        p.put("scaler.history.retention", "7d");
        p.put("scaler.history.purge-interval", "10m");
        p.put("scaler.api.token", "t");
        p.put("scaler.api.max-alert-body", "2048");
        p.put("scaler.api.alert-dedupe-window", "5m");
        p.put("scaler.docker.host", "tcp://docker:2375");
        p.put("scaler.container-metrics.enabled", "off");
        p.put("scaler.container-metrics.interval", "1m");
        p.put("scaler.container-metrics.concurrency", "2");
        p.put("scaler.port", "not ours");
        try (ApplicationContext context = ApplicationContext.run(p)) {
            assertThat(context.getBean(ScalerConfiguration.class))
                    .isEqualTo(new ScalerConfiguration(Duration.ofSeconds(30), true, 3, Duration.ZERO));
            assertThat(context.getBean(PolicyConfiguration.class))
                    .isEqualTo(new PolicyConfiguration(null, Duration.ofSeconds(2)));
            PrometheusConfiguration prometheus = context.getBean(PrometheusConfiguration.class);
            assertThat(prometheus.url()).isEqualTo(URI.create("https://prometheus.example:9443/prom"));
            assertThat(prometheus.timeout()).isEqualTo(Duration.ofMillis(750));
            assertThat(prometheus.freshness()).isEqualTo(Duration.ofMinutes(1));
            ExecutionConfiguration execution = context.getBean(ExecutionConfiguration.class);
            assertThat(execution.timeout()).isEqualTo(Duration.ofHours(1));
            assertThat(execution.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
            assertThat(execution.lockDir()).isEqualTo(Path.of("/var/lib/scaler/locks"));
            assertThat(execution.passEnvironment()).containsExactly("HTTP_PROXY", "no_proxy");
            assertThat(context.getBean(HistoryConfiguration.class))
                    .isEqualTo(new HistoryConfiguration(Duration.ofDays(7), Duration.ofMinutes(10)));
            assertThat(context.getBean(ApiConfiguration.class))
                    .isEqualTo(new ApiConfiguration("t", null, null, 2048, Duration.ofMinutes(5)));
            assertThat(context.getBean(Configurations.class).dockerHost()).isEqualTo("tcp://docker:2375");
            assertThat(context.getBean(dev.scaler.containers.ContainerMetricsConfiguration.class)).isEqualTo(
                    new dev.scaler.containers.ContainerMetricsConfiguration(false, Duration.ofMinutes(1), 2));
        }
    }

    @Test
    void theRedactionHidesTheApisAndPrometheussSecrets() {
        Map<String, Object> p = new java.util.HashMap<>();
        p.put("scaler.api.token", "api-t0ken");
        p.put("scaler.api.username", "ops");
        p.put("scaler.api.password", "api-pa55");
        p.put("scaler.prometheus.bearer-token", "prom-t0ken");
        try (ApplicationContext context = ApplicationContext.run(p)) {
            assertThat(context.getBean(dev.scaler.redaction.Redaction.class)
                    .apply("api-t0ken api-pa55 prom-t0ken ops")).isEqualTo("*** *** *** ops");
        }
    }

    @Test
    void theSchedulesUseTheParsedValuesNotMicronautsGrammar() {
        // Micronaut's @Scheduled would refuse "1D" and "15 s"; the purge runs from HistoryConfiguration.
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "scaler.history.purge-interval", "1D", "scaler.history.retention", "30 d"))) {
            assertThat(context.getBean(HistoryConfiguration.class))
                    .isEqualTo(new HistoryConfiguration(Duration.ofDays(30), Duration.ofDays(1)));
        }
    }

    @Test
    void policyFileIsAPath() {
        // Through the pure reader: in a context the watcher would load the file.
        assertThat(Configurations.read(key -> java.util.Optional.ofNullable(
                key.equals("scaler.policy-file") ? (Object) "policy.yml" : null)).policy())
                .isEqualTo(new PolicyConfiguration(Path.of("policy.yml"), Duration.ofSeconds(5)));
    }

    @Test
    void defaultsBindFromAnEmptyContext() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertThat(context.getBean(ScalerConfiguration.class)).isEqualTo(new ScalerConfiguration(
                    Duration.ofSeconds(15), false, 8, Duration.ofSeconds(1)));
            ExecutionConfiguration execution = context.getBean(ExecutionConfiguration.class);
            assertThat(execution).isEqualTo(ExecutionConfiguration.defaults());
            assertThat(execution.shutdownGrace()).isEqualTo(Duration.ofSeconds(8));
            assertThat(execution.lockDir()).isEqualTo(Path.of("data/locks"));
            assertThat(execution.passEnvironment()).isEmpty();
            assertThat(context.getBean(PrometheusConfiguration.class)).isEqualTo(PrometheusConfiguration.defaults());
        }
    }

    @Test
    void environmentVariableStyleBindsAndPassEnvironmentTakesACommaList() {
        try (ApplicationContext context = ApplicationContext.builder().propertySources(PropertySource.of("test-env",
                Map.of("SCALER_PROMETHEUS_TIMEOUT", "2s", "SCALER_EXECUTION_PASS_ENVIRONMENT", "HTTP_PROXY, NO_PROXY",
                        "SCALER_WORKERS", "2"),
                PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE)).start()) {
            assertThat(context.getBean(PrometheusConfiguration.class).timeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(context.getBean(ExecutionConfiguration.class).passEnvironment())
                    .containsExactly("HTTP_PROXY", "NO_PROXY");
            assertThat(context.getBean(ScalerConfiguration.class).workers()).isEqualTo(2);
        }
    }

    static String startupFailure(Map<String, Object> properties) {
        return startupFailure(PropertySource.of("test", properties));
    }

    static String startupFailure(PropertySource source) {
        Throwable failure = null;
        try (ApplicationContext ignored = ApplicationContext.builder().propertySources(source).start()) {
            // started: failure stays null
        } catch (RuntimeException e) {
            failure = e;
        }
        assertThat(failure).as("startup must fail").isNotNull();
        Throwable t = failure;
        while (!(t instanceof ConfigurationException) && t.getCause() != null) {
            t = t.getCause();
        }
        assertThat(t).isInstanceOf(ConfigurationException.class);
        return t.getMessage();
    }
}
