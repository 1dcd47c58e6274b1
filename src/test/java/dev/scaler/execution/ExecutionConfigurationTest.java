package dev.scaler.execution;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutionConfigurationTest {

    @Test
    void bindsDefaults() {
        try (ApplicationContext context = ApplicationContext.run(Map.of())) {
            ExecutionConfiguration configuration = context.getBean(ExecutionConfiguration.class);
            assertThat(configuration.ansiblePlaybook()).isEqualTo("ansible-playbook");
            assertThat(configuration.playbook()).isEqualTo(Path.of("ansible/scale.yml"));
            assertThat(configuration.inventory()).isEqualTo(Path.of("inventories/local/hosts.yml"));
            assertThat(configuration.ansibleConfig()).isEqualTo(Path.of("ansible/ansible.cfg"));
            assertThat(configuration.timeout()).isEqualTo(Duration.ofMinutes(5));
            assertThat(configuration.passEnvironment()).isEmpty();
        }
    }

    @Test
    void bindsOverrides() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "scaler.execution.timeout", "30s", "scaler.execution.ansible-playbook", "/usr/bin/ansible-playbook",
                "scaler.execution.pass-environment", List.of("HTTPS_PROXY", "AWS_*")))) {
            ExecutionConfiguration configuration = context.getBean(ExecutionConfiguration.class);
            assertThat(configuration.timeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(configuration.ansiblePlaybook()).isEqualTo("/usr/bin/ansible-playbook");
            assertThat(configuration.passEnvironment()).containsExactly("HTTPS_PROXY", "AWS_*");
        }
    }
}
