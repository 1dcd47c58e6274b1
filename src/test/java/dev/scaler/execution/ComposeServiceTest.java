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
        // "false" stands in for a "docker compose version" that fails: compose v1
        AnsibleScaleExecutor executor = new AnsibleScaleExecutor(new AnsibleRunner(configuration), configuration,
                new ComposeCli(List.of("false"), java.util.Map.of("PATH", System.getenv("PATH"))));
        ComposeService web = new ComposeService("webapp", DIR, List.of(Path.of("docker-compose.yml")), "web");

        assertThatThrownBy(() -> executor.scale("t", web, -1)).hasMessageContaining("replicas must be >= 0");
        assertThatThrownBy(() -> executor.scale("t", web, 1, -1)).hasMessageContaining("before must be >= 0");
        PlaybookRun run = executor.playbookRun(web, 2, null, false);
        assertThat(run.variables()).containsEntry("compose_scale_replicas", 2)
                .containsEntry("compose_scale_service", "web")
                .containsEntry("compose_scale_files", List.of("/srv/webapp/docker-compose.yml"))
                .containsEntry("scaler_hosts", "local")
                .containsEntry("compose_scale_command", "v1")
                .doesNotContainKeys("compose_scale_before", "compose_scale_count_after");
    }

    @Test
    void executorPassesWhatScalerKnows() {
        ExecutionConfiguration configuration = ExecutionConfiguration.defaults();
        // "true" stands in for a "docker compose version" that works: compose v2
        AnsibleScaleExecutor executor = new AnsibleScaleExecutor(new AnsibleRunner(configuration), configuration,
                new ComposeCli(List.of("true"), java.util.Map.of("PATH", System.getenv("PATH"))));
        ComposeService web = new ComposeService("webapp", DIR, List.of(), "web");

        PlaybookRun run = executor.playbookRun(web, 3, 1, false);

        assertThat(run.variables()).containsEntry("compose_scale_command", "v2")
                .containsEntry("compose_scale_before", 1)
                .containsEntry("compose_scale_count_after", false);
        assertThat(run.lock()).isEqualTo(web.key());
    }

    @Test
    void composeCliIsAskedOnceAndAutoWhileItCannotBeAsked() throws Exception {
        java.nio.file.Path counter = java.nio.file.Files.createTempFile("scaler-cli-probe-", ".txt");
        try {
            ComposeCli cli = new ComposeCli(List.of("sh", "-c", "echo x >> " + counter), java.util.Map.of("PATH",
                    System.getenv("PATH")));
            assertThat(cli.command()).isEqualTo("v2");
            assertThat(cli.command()).isEqualTo("v2");
            assertThat(java.nio.file.Files.readAllLines(counter)).hasSize(1);
        } finally {
            java.nio.file.Files.deleteIfExists(counter);
        }
        ComposeCli missing = new ComposeCli(List.of("/nonexistent/docker", "compose", "version"), java.util.Map.of());
        assertThat(missing.command()).isEqualTo(ComposeCli.AUTO);
    }
}
