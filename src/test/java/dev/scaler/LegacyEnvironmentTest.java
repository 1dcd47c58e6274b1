package dev.scaler;

import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LegacyEnvironmentTest {

    @Test
    void translatesTheSeedVariables() {
        Map<String, Object> p = LegacyEnvironment.translate(Map.of(
                "PROMETHEUS_URL", "http://prometheus:9090",
                "SERVICE_NAME", "webapp",
                "COMPOSE_PROJECT_NAME", "demo",
                "MIN_REPLICAS", "2",
                "MAX_REPLICAS", "8",
                "CHECK_INTERVAL", "10",
                "SCALE_UP_COOLDOWN", "30",
                "SCALE_DOWN_COOLDOWN", "120",
                "COMPOSE_FILE", "a.yml:b.yml"));

        assertThat(p).containsEntry("scaler.prometheus.url", "http://prometheus:9090")
                .containsEntry("scaler.poll-interval", "10s")
                .containsEntry("scaler.targets.webapp.service", "webapp")
                .containsEntry("scaler.targets.webapp.compose-project", "demo")
                .containsEntry("scaler.targets.webapp.min-replicas", 2)
                .containsEntry("scaler.targets.webapp.max-replicas", 8)
                .containsEntry("scaler.targets.webapp.scale-up-cooldown", "30s")
                .containsEntry("scaler.targets.webapp.scale-down-cooldown", "120s")
                .containsEntry("scaler.targets.webapp.compose-files", List.of("a.yml", "b.yml"))
                .containsKey("scaler.targets.webapp.query");
    }

    @Test
    void nothingWithoutTheVariables() {
        assertThat(LegacyEnvironment.translate(Map.of("HOME", "/root"))).isEmpty();
    }

    @Test
    void badNumbersNameTheVariable() {
        assertThatThrownBy(() -> LegacyEnvironment.translate(Map.of("SERVICE_NAME", "web", "MAX_REPLICAS", "ten")))
                .isInstanceOf(ConfigurationException.class).hasMessage("MAX_REPLICAS: 'ten' is not a whole number");
        assertThatThrownBy(() -> LegacyEnvironment.translate(Map.of("CHECK_INTERVAL", "15s")))
                .hasMessage("CHECK_INTERVAL: '15s' is not a whole number of seconds");
    }
}
