package dev.scaler.execution;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComposeServiceTest {

    private static final Path DIR = Path.of("/srv/webapp");

    @Test
    void acceptsComposeNames() {
        ComposeService service = new ComposeService("webapp_1", DIR, List.of(Path.of("a.yml")), "Web.api-2");
        assertThat(service.composeFiles()).containsExactly(Path.of("a.yml"));
    }

    @Test
    void rejectsBadNamesNamingTheField() {
        assertThatThrownBy(() -> new ComposeService("webapp", DIR, List.of(), "web;id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("service must match");
        assertThatThrownBy(() -> new ComposeService("-webapp", DIR, List.of(), "web"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("projectName must match");
        assertThatThrownBy(() -> new ComposeService("WebApp", DIR, List.of(), "web"))
                .hasMessageStartingWith("projectName must match");
        assertThatThrownBy(() -> new ComposeService("webapp", DIR, List.of(), null))
                .hasMessageStartingWith("service must match");
    }

    @Test
    void executorRejectsNegativeReplicas() {
        ExecutionConfiguration configuration = new ExecutionConfiguration("ansible-playbook",
                Path.of("ansible/scale.yml"), Path.of("inventories/local/hosts.yml"), Path.of("ansible/ansible.cfg"),
                java.time.Duration.ofMinutes(1), java.util.List.of());
        AnsibleScaleExecutor executor = new AnsibleScaleExecutor(new AnsibleRunner(configuration), configuration);
        ComposeService web = new ComposeService("webapp", DIR, List.of(Path.of("docker-compose.yml")), "web");

        assertThatThrownBy(() -> executor.scale("t", web, -1)).hasMessageContaining("replicas must be >= 0");
        PlaybookRun run = executor.playbookRun(web, 2, false);
        assertThat(run.variables()).containsEntry("compose_scale_replicas", 2)
                .containsEntry("compose_scale_service", "web")
                .containsEntry("compose_scale_files", List.of("/srv/webapp/docker-compose.yml"))
                .containsEntry("scaler_hosts", "local");
    }
}
