package dev.scaler.target;

import dev.scaler.decision.Fallback;
import dev.scaler.decision.StepLimit;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetsTest {

    static final String T = "scaler.targets.web.";

    static Map<String, Object> minimal() {
        Map<String, Object> p = new HashMap<>();
        p.put(T + "query", "sum(rate(http_requests_total[1m]))");
        p.put(T + "compose-project", "demo");
        return p;
    }

    @Test
    void defaultsFillEveryKeyThatIsNotGiven() {
        try (ApplicationContext context = ApplicationContext.run(minimal())) {
            Target t = context.getBean(TargetRegistry.class).find("web").orElseThrow();

            assertThat(t.query()).isEqualTo("sum(rate(http_requests_total[1m]))");
            assertThat(t.compose().projectName()).isEqualTo("demo");
            assertThat(t.compose().service()).as("the service defaults to the target's name").isEqualTo("web");
            assertThat(t.compose().projectDirectory()).isEqualTo(Path.of("."));
            assertThat(t.compose().composeFiles()).isEmpty();
            assertThat(t.policy().minReplicas()).isEqualTo(1);
            assertThat(t.policy().maxReplicas()).isEqualTo(10);
            assertThat(t.policy().capacityPerReplica()).isEqualTo(100);
            assertThat(t.policy().tolerance()).isEqualTo(0.1);
            assertThat(t.policy().scaleUpCooldown()).isEqualTo(Duration.ofSeconds(60));
            assertThat(t.policy().scaleDownCooldown()).isEqualTo(Duration.ofSeconds(300));
            assertThat(t.policy().scaleUpStabilization()).isEqualTo(Duration.ZERO);
            assertThat(t.policy().scaleDownStabilization()).isEqualTo(Duration.ofSeconds(300));
            assertThat(t.policy().scaleUpLimit()).isEqualTo(StepLimit.NONE);
            assertThat(t.policy().fallback()).isEqualTo(Fallback.OFF);
            assertThat(t.policy().retryBackoff().initial()).isEqualTo(Duration.ofSeconds(30));
            assertThat(t.dryRun()).isFalse();
        }
    }

    @Test
    void bindsEveryKey() {
        Map<String, Object> p = minimal();
        p.put(T + "service", "frontend");
        p.put(T + "compose-project-dir", "/srv/demo");
        p.put(T + "compose-files", List.of("a.yml", "b.yml"));
        p.put(T + "min-replicas", 2);
        p.put(T + "max-replicas", "12");
        p.put(T + "capacity-per-replica", "37.5");
        p.put(T + "tolerance", 0.2);
        p.put(T + "scale-up-cooldown", "10s");
        p.put(T + "scale-down-cooldown", "2m");
        p.put(T + "scale-up-stabilization", "5s");
        p.put(T + "scale-down-stabilization", "1m");
        p.put(T + "scale-up-max-replicas", 3);
        p.put(T + "scale-up-max-percent", 50);
        p.put(T + "scale-down-max-replicas", 1);
        p.put(T + "scale-down-max-percent", 10);
        p.put(T + "fallback-after-failures", 3);
        p.put(T + "fallback-replicas", 4);
        p.put(T + "retry-initial", "5s");
        p.put(T + "retry-max", "1m");
        p.put(T + "dry-run", true);
        try (ApplicationContext context = ApplicationContext.run(p)) {
            Target t = context.getBean(TargetRegistry.class).find("web").orElseThrow();

            assertThat(t.compose().service()).isEqualTo("frontend");
            assertThat(t.compose().projectDirectory()).isEqualTo(Path.of("/srv/demo"));
            assertThat(t.compose().composeFiles()).containsExactly(Path.of("a.yml"), Path.of("b.yml"));
            assertThat(t.policy().minReplicas()).isEqualTo(2);
            assertThat(t.policy().maxReplicas()).isEqualTo(12);
            assertThat(t.policy().capacityPerReplica()).isEqualTo(37.5);
            assertThat(t.policy().tolerance()).isEqualTo(0.2);
            assertThat(t.policy().scaleUpCooldown()).isEqualTo(Duration.ofSeconds(10));
            assertThat(t.policy().scaleDownCooldown()).isEqualTo(Duration.ofMinutes(2));
            assertThat(t.policy().scaleUpStabilization()).isEqualTo(Duration.ofSeconds(5));
            assertThat(t.policy().scaleDownStabilization()).isEqualTo(Duration.ofMinutes(1));
            assertThat(t.policy().scaleUpLimit()).isEqualTo(new StepLimit(3, 50));
            assertThat(t.policy().scaleDownLimit()).isEqualTo(new StepLimit(1, 10));
            assertThat(t.policy().fallback()).isEqualTo(new Fallback(3, 4));
            assertThat(t.policy().retryBackoff().initial()).isEqualTo(Duration.ofSeconds(5));
            assertThat(t.policy().retryBackoff().max()).isEqualTo(Duration.ofMinutes(1));
            assertThat(t.dryRun()).isTrue();
        }
    }

    @Test
    void noTargetsIsAllowed() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertThat(context.getBean(TargetRegistry.class).all()).isEmpty();
        }
    }

    @Test
    void targetsAreListedByName() {
        Map<String, Object> p = minimal();
        p.put("scaler.targets.api.query", "up");
        p.put("scaler.targets.api.compose-project", "demo");
        try (ApplicationContext context = ApplicationContext.run(p)) {
            assertThat(context.getBean(TargetRegistry.class).all()).extracting(Target::name).containsExactly("api", "web");
        }
    }

    @Test
    void anInvalidValueStopsStartupNamingTheKeyAndTheValue() {
        Map<String, Object> p = minimal();
        p.put(T + "max-replicas", 0);
        assertThatThrownBy(() -> ApplicationContext.run(p))
                .isInstanceOf(BeanInstantiationException.class)
                .rootCause()
                .hasMessageContaining("scaler.targets.web.max-replicas: must be >= 1, got 0");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "min-replicas|-1|scaler.targets.web.min-replicas: must be >= 0, got -1",
            "max-replicas|0|scaler.targets.web.max-replicas: must be >= 1, got 0",
            "capacity-per-replica|0|scaler.targets.web.capacity-per-replica: must be a positive number, got 0.0",
            "tolerance|1.5|scaler.targets.web.tolerance: must be in [0, 1), got 1.5",
            "scale-up-cooldown|-PT1S|scaler.targets.web.scale-up-cooldown: must be >= 0, got '-PT1S'",
            "scale-up-cooldown|ten seconds|scaler.targets.web.scale-up-cooldown: 'ten seconds' is not a duration (use 250ms, 15s, 5m, 1h, 1d or ISO-8601 like PT15S)",
            "max-replicas|ten|scaler.targets.web.max-replicas: 'ten' is not a whole number",
            "capacity-per-replica|lots|scaler.targets.web.capacity-per-replica: 'lots' is not a number",
            "dry-run|maybe|scaler.targets.web.dry-run: 'maybe' is not true or false",
            "scale-down-max-percent|-5|scaler.targets.web.scale-down-max-percent: must be >= 0 (0 = off), got -5",
            "scale-up-max-replicas|-1|scaler.targets.web.scale-up-max-replicas: must be >= 0 (0 = off), got -1",
            "fallback-after-failures|3|scaler.targets.web.fallback-replicas: is required when fallback-after-failures is set",
            "retry-max|PT1S|scaler.targets.web.retry-max: must be >= retry-initial (PT30S), got PT1S",
            "compose-project|Demo|scaler.targets.web.compose-project: must match ^[a-z0-9][a-z0-9_-]*$, got 'Demo'",
            "service|-bad|scaler.targets.web.service: must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$, got '-bad'",
            "query| |scaler.targets.web.query: is required (PromQL returning the load as one series)",
    })
    void eachBadValueIsNamed(String key, String value, String message) {
        Map<String, Object> p = minimal();
        p.put(T + key, value == null ? "" : value);
        assertThat(startupProblems(p)).contains(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"250ms,PT0.25S", "15s,PT15S", "5m,PT5M", "1h,PT1H", "1d,PT24H", "PT90S,PT1M30S", "0s,PT0S"})
    void durationsInMicronautAndIsoForm(String text, String iso) {
        assertThat(Targets.parseDuration(text)).isEqualTo(Duration.parse(iso));
    }

    @Test
    void maxBelowMinNamesBoth() {
        Map<String, Object> p = minimal();
        p.put(T + "min-replicas", 5);
        p.put(T + "max-replicas", 3);
        assertThat(startupProblems(p)).containsExactly("scaler.targets.web.max-replicas (3) must be >= min-replicas (5)");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> Targets.from(TargetProperties.named("web")))
                .isInstanceOf(InvalidTargetException.class)
                .satisfies(e -> assertThat(((InvalidTargetException) e).problems()).containsExactly(
                        "scaler.targets.web.query: is required (PromQL returning the load as one series)",
                        "scaler.targets.web.compose-project: is required (the compose project name), or fleet-group for a fleet,"
                                + " or swarm-service for a swarm service"));
    }

    @Test
    void aFleetTargetNamesAnInventoryGroupInsteadOfAProject() {
        Map<String, Object> p = new HashMap<>();
        p.put(T + "query", "up");
        p.put(T + "fleet-group", "web");
        p.put(T + "fleet-inventory", "inventories/example-fleet/hosts.yml");
        p.put(T + "fleet-move-share-of-unreachable", "false");
        try (ApplicationContext context = ApplicationContext.run(p)) {
            Target t = context.getBean(TargetRegistry.class).find("web").orElseThrow();

            assertThat(t.isFleet()).isTrue();
            assertThat(t.compose()).isNull();
            assertThat(t.fleet().group()).isEqualTo("web");
            assertThat(t.fleet().inventory()).isEqualTo(Path.of("inventories/example-fleet/hosts.yml"));
            assertThat(t.fleet().moveShareOfUnreachable()).isFalse();
        }
    }

    @Test
    void aFleetDefaultsToTheExecutionInventoryAndMovesShares() {
        Map<String, Object> p = new HashMap<>();
        p.put(T + "query", "up");
        p.put(T + "fleet-group", "web");
        p.put("scaler.execution.inventory", "/etc/scaler/hosts.yml");
        try (ApplicationContext context = ApplicationContext.run(p)) {
            Target t = context.getBean(TargetRegistry.class).find("web").orElseThrow();

            assertThat(t.fleet().inventory()).isEqualTo(Path.of("/etc/scaler/hosts.yml"));
            assertThat(t.fleet().moveShareOfUnreachable()).isTrue();
        }
    }

    @Test
    void aFleetWithAComposeProjectIsRefused() {
        Map<String, Object> p = minimal();
        p.put(T + "fleet-group", "web");
        assertThat(startupProblems(p)).singleElement().asString()
                .startsWith("scaler.targets.web.compose-project: must not be set with fleet-group");
    }

    /** The problems that stopped an application context with these properties from starting. */
    static List<String> startupProblems(Map<String, Object> properties) {
        try (ApplicationContext ignored = ApplicationContext.run(properties)) {
            throw new AssertionError("the context started with " + properties);
        } catch (BeanInstantiationException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidTargetException invalid) {
                    return invalid.problems();
                }
            }
            throw e;
        }
    }
}
