package dev.scaler.metrics;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusConfigurationTest {

    @Test
    void theShownUrlHidesTheUserAndPasswordAndATokenInTheQuery() {
        assertThat(PrometheusConfiguration.forUrl(URI.create("https://u:p%40ss@prom.example:9443/base")).shownUrl())
                .isEqualTo("https://***@prom.example:9443/base");
        assertThat(PrometheusConfiguration.forUrl(URI.create("https://prom.example/base?access_token=abc&org=1"))
                .shownUrl()).isEqualTo("https://prom.example/base?access_token=***&org=1");
        assertThat(PrometheusConfiguration.forUrl(URI.create("http://prom:9090")).shownUrl()).isEqualTo("http://prom:9090");
    }

    @Test
    void defaults() {
        PrometheusConfiguration config = PrometheusConfiguration.defaults();

        assertThat(config.url()).isEqualTo(URI.create("http://localhost:9090"));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.freshness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.username()).isNull();
        assertThat(config.bearerToken()).isNull();
        assertThat(config.caFile()).isNull();
    }

    @Test
    void bindsDefaultsFromAnEmptyContext() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertThat(context.getBean(PrometheusConfiguration.class)).isEqualTo(PrometheusConfiguration.defaults());
        }
    }

    @Test
    void bindsEveryKey() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "scaler.prometheus.url", "https://prometheus.example:9443/prom",
                "scaler.prometheus.timeout", "750ms",
                "scaler.prometheus.freshness", "30s",
                "scaler.prometheus.bearer-token-file", "/run/secrets/prometheus-token",
                "scaler.prometheus.ca-file", "/etc/scaler/ca.pem"))) {
            PrometheusConfiguration config = context.getBean(PrometheusConfiguration.class);

            assertThat(config.url()).isEqualTo(URI.create("https://prometheus.example:9443/prom"));
            assertThat(config.timeout()).isEqualTo(Duration.ofMillis(750));
            assertThat(config.freshness()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.bearerTokenFile()).isEqualTo(Path.of("/run/secrets/prometheus-token"));
            assertThat(config.caFile()).isEqualTo(Path.of("/etc/scaler/ca.pem"));
        }
    }

    @Test
    void basicAndBearerTogetherFailNamingTheKeys() {
        assertThatThrownBy(() -> new PrometheusConfiguration(null, null, null, "u", "p", "token", null, null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("scaler.prometheus.username")
                .hasMessageContaining("scaler.prometheus.password")
                .hasMessageContaining("scaler.prometheus.bearer-token");
        assertThatThrownBy(() -> new PrometheusConfiguration(null, null, null, "u", "p", null, Path.of("/t"), null))
                .hasMessageContaining("scaler.prometheus.bearer-token-file");
    }

    @Test
    void basicAndBearerTogetherFailStartup() {
        // Checked while the context starts (dev.scaler.config.Configurations), not on first use.
        assertThatThrownBy(() -> ApplicationContext.run(Map.of(
                "scaler.prometheus.username", "scaler",
                "scaler.prometheus.password", "secret",
                "scaler.prometheus.bearer-token", "token")).close())
                .hasStackTraceContaining("scaler.prometheus.username")
                .hasStackTraceContaining("scaler.prometheus.bearer-token");
    }

    @Test
    void usernameWithoutPasswordFails() {
        assertThatThrownBy(() -> new PrometheusConfiguration(null, null, null, "u", null, null, null, null))
                .hasMessageContaining("scaler.prometheus.password");
    }

    @Test
    void tokenAndTokenFileTogetherFail() {
        assertThatThrownBy(() -> new PrometheusConfiguration(null, null, null, null, null, "t", Path.of("/t"), null))
                .hasMessageContaining("scaler.prometheus.bearer-token")
                .hasMessageContaining("scaler.prometheus.bearer-token-file");
    }

    @Test
    void timeoutMustBePositive() {
        assertThatThrownBy(() -> PrometheusConfiguration.defaults().withTimeout(Duration.ZERO))
                .hasMessageContaining("scaler.prometheus.timeout");
        assertThatThrownBy(() -> PrometheusConfiguration.defaults().withTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("scaler.prometheus.timeout");
    }

    @Test
    void freshnessMustBePositive() {
        assertThatThrownBy(() -> new PrometheusConfiguration(null, null, Duration.ZERO, null, null, null, null, null))
                .hasMessageContaining("scaler.prometheus.freshness");
    }

    @Test
    void urlMustBeHttpOrHttps() {
        assertThatThrownBy(() -> PrometheusConfiguration.forUrl(URI.create("ftp://prometheus:9090")))
                .hasMessageContaining("scaler.prometheus.url");
        assertThatThrownBy(() -> PrometheusConfiguration.forUrl(URI.create("localhost:9090")))
                .hasMessageContaining("scaler.prometheus.url");
        assertThat(PrometheusConfiguration.forUrl(URI.create("HTTPS://prometheus:9090")).url()).hasHost("prometheus");
    }

    @Test
    void toStringHidesSecrets() {
        assertThat(new PrometheusConfiguration(null, null, null, "scaler", "hunter2", null, null, null).toString())
                .doesNotContain("hunter2").contains("basic");
        assertThat(PrometheusConfiguration.forUrl(URI.create("https://u:hunter2@prom/?token=t0ken")).toString())
                .doesNotContain("hunter2").doesNotContain("t0ken").contains("https://***@prom/?token=***");
    }
}
