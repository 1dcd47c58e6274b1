package dev.scaler.target;

import dev.scaler.backtest.NamedPolicy;
import dev.scaler.backtest.PolicyFile;
import dev.scaler.execution.ComposeService;
import dev.scaler.swarm.SwarmService;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code scaler.targets.NAME.swarm-service}: a target that is a Docker Swarm service. */
class SwarmTargetsTest {

    static final String T = TargetsTest.T;

    static Map<String, Object> swarm() {
        Map<String, Object> p = new HashMap<>();
        p.put(T + "query", "up");
        p.put(T + "swarm-service", "shop_web");
        return p;
    }

    @Test
    void aSwarmTargetNamesItsServiceInsteadOfAProject() {
        Map<String, Object> p = swarm();
        p.put(T + "max-replicas", 6);
        try (ApplicationContext context = ApplicationContext.run(p)) {
            Target t = context.getBean(TargetRegistry.class).find("web").orElseThrow();

            assertThat(t.isSwarm()).isTrue();
            assertThat(t.isFleet()).isFalse();
            assertThat(t.compose()).isNull();
            assertThat(t.swarm()).isEqualTo(new SwarmService("shop_web"));
            assertThat(t.describe()).isEqualTo("swarm service shop_web");
            assertThat(t.policy().maxReplicas()).isEqualTo(6);
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "swarm-service|-web|scaler.targets.web.swarm-service: must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$, got '-web'",
            "swarm-service|web;id|scaler.targets.web.swarm-service: must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$, got 'web;id'",
            "compose-project|demo|scaler.targets.web.compose-project: must not be set with swarm-service (a swarm target is scaled by its swarm service name alone)",
            "fleet-group|web|scaler.targets.web.fleet-group: must not be set with swarm-service (a swarm target is scaled by its swarm service name alone)",
            "service|frontend|scaler.targets.web.service: must not be set with swarm-service (a swarm target is scaled by its swarm service name alone)",
            "compose-project-dir|/srv|scaler.targets.web.compose-project-dir: must not be set with swarm-service (a swarm target is scaled by its swarm service name alone)",
            "compose-files|a.yml|scaler.targets.web.compose-files: must not be set with swarm-service (a swarm target is scaled by its swarm service name alone)",
    })
    void eachBadValueIsNamed(String key, String value, String message) {
        Map<String, Object> p = swarm();
        p.put(T + key, key.equals("compose-files") ? List.of(value) : value);
        assertThat(TargetsTest.startupProblems(p)).contains(message);
    }

    @Test
    void aTargetIsExactlyOneKind() {
        try (ApplicationContext context = ApplicationContext.run(swarm())) {
            Target t = context.getBean(TargetRegistry.class).find("web").orElseThrow();
            ComposeService compose = new ComposeService("demo", Path.of("."), List.of(), "web");

            assertThatThrownBy(() -> new Target("web", "up", compose, null, t.policy(), false, null, t.swarm()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("target web needs exactly one of a compose service, a fleet or a swarm service");
            assertThatThrownBy(() -> new Target("web", "up", null, null, t.policy(), false, null, null))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aPolicyFileTakesTheKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("swarm.yml"), """
                scaler:
                  targets:
                    web:
                      swarm-service: shop_web
                      max-replicas: 7
                """);

        List<NamedPolicy> policies = PolicyFile.read(file);

        assertThat(policies).extracting(NamedPolicy::name).containsExactly("web");
        assertThat(policies.get(0).policy().maxReplicas()).isEqualTo(7);
    }
}
