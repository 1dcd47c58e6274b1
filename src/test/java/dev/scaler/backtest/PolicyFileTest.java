package dev.scaler.backtest;

import dev.scaler.decision.Policy;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyFileTest {

    @Test
    void aFlatMapIsOnePolicyNamedAfterTheFileWithTheServiceDefaults() {
        var policies = PolicyFile.parse("fast.yml", "fast", """
                max-replicas: 40
                capacity-per-replica: 50
                scale-down-stabilization: 1m
                """);
        assertThat(policies).hasSize(1);
        assertThat(policies.get(0).name()).isEqualTo("fast");
        Policy p = policies.get(0).policy();
        assertThat(p.maxReplicas()).isEqualTo(40);
        assertThat(p.capacityPerReplica()).isEqualTo(50);
        assertThat(p.scaleDownStabilization()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.minReplicas()).isEqualTo(1);
        assertThat(p.scaleDownCooldown()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void theApplicationYmlShapeGivesOnePolicyPerTargetAndIgnoresTheRest() {
        var policies = PolicyFile.parse("application.yml", "application", """
                micronaut:
                  application:
                    name: scaler
                scaler:
                  poll-interval: 15s
                  targets:
                    web:
                      query: sum(rate(http_requests_total[1m]))
                      compose-project: shop
                      compose-files: [compose.yml]
                      max-replicas: 8
                    api:
                      tolerance: 0.2
                """);
        assertThat(policies).extracting(NamedPolicy::name).containsExactly("web", "api");
        assertThat(policies.get(0).policy().maxReplicas()).isEqualTo(8);
        assertThat(policies.get(1).policy().tolerance()).isEqualTo(0.2);
    }

    @Test
    void anUnknownFieldIsAnErrorNamingTheFileLineAndField() {
        assertThatThrownBy(() -> PolicyFile.parse("p.yml", "p", """
                max-replicas: 8
                scale-up-cooldwn: 30s
                """))
                .isInstanceOf(BacktestInputException.class)
                .hasMessageStartingWith("p.yml:2: unknown field 'scale-up-cooldwn' in policy p; known fields: ")
                .hasMessageContaining("scale-up-cooldown");
        assertThatThrownBy(() -> PolicyFile.parse("app.yml", "app", """
                scaler:
                  targets:
                    web:
                      max-replicas: 8
                      maxReplicas: 9
                """))
                .hasMessageStartingWith("app.yml:5: unknown field 'maxReplicas' in policy web");
    }

    @Test
    void badValuesAreReportedAsTheServiceReportsThem() {
        assertThatThrownBy(() -> PolicyFile.parse("p.yml", "p", """
                max-replicas: many
                tolerance: 1.5
                scale-up-cooldown: 30
                """))
                .isInstanceOf(BacktestInputException.class)
                .hasMessageContaining("p.yml: policy p is invalid:")
                .hasMessageContaining("scaler.targets.p.max-replicas: 'many' is not a whole number")
                .hasMessageContaining("scaler.targets.p.scale-up-cooldown: '30' is not a duration");
    }

    @Test
    void brokenYamlAndWrongShapesNameTheLine() {
        assertThatThrownBy(() -> PolicyFile.parse("p.yml", "p", "max-replicas: 8\n  tolerance: [\n"))
                .hasMessageStartingWith("p.yml:").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> PolicyFile.parse("p.yml", "p", "- max-replicas: 8\n"))
                .hasMessage("p.yml:1: the file must be a map of keys");
        assertThatThrownBy(() -> PolicyFile.parse("p.yml", "p", "max-replicas: [1, 2]\n"))
                .hasMessage("p.yml:1: the value of max-replicas must be a single value");
        assertThatThrownBy(() -> PolicyFile.parse("p.yml", "p", "scaler:\n  poll-interval: 15s\n"))
                .hasMessageStartingWith("p.yml:2: scaler has no targets");
        assertThatThrownBy(() -> PolicyFile.parse("p.yml", "p", ""))
                .hasMessageStartingWith("p.yml: empty");
    }

    @Test
    void forecastKeysGoToTheForecastSettings() {
        var p = PolicyFile.parse("predictive.yml", "predictive", """
                max-replicas: 80
                capacity-per-replica: 50
                predictive: on
                predictive-trend-window: 30m
                """).get(0);
        assertThat(p.forecast().mode()).isEqualTo(dev.scaler.forecast.ForecastSettings.Mode.ON);
        assertThat(p.forecast().trendWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(PolicyFile.parse("plain.yml", "plain", "max-replicas: 3\n").get(0).forecast())
                .isEqualTo(dev.scaler.forecast.ForecastSettings.DEFAULTS);
    }

    @Test
    void aBadForecastValueNamesTheFilePolicyKeyAndValue() {
        assertThatThrownBy(() -> PolicyFile.parse("p.yml", "p", """
                max-replicas: 3
                predictive: sometimes
                predictive-margin: x
                """))
                .isInstanceOf(BacktestInputException.class)
                .hasMessage("p.yml: policy p is invalid:\n  predictive must be one of off, forecast-only, on; got"
                        + " 'sometimes'\n  predictive-margin must be a number; got 'x'");
    }
}
