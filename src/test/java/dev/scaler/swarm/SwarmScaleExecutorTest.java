package dev.scaler.swarm;

import dev.scaler.execution.AnsibleRunner;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.execution.PlaybookRun;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What SwarmScaleExecutor asks ansible-playbook to run, without running it. */
class SwarmScaleExecutorTest {

    private final ExecutionConfiguration configuration = new ExecutionConfiguration("ansible-playbook",
            Path.of("/opt/scaler/ansible/scale.yml"), Path.of("/opt/scaler/inventories/local/hosts.yml"),
            Path.of("/opt/scaler/ansible/ansible.cfg"), Duration.ofMinutes(2), java.util.List.of());
    private final SwarmScaleExecutor executor = new SwarmScaleExecutor(new AnsibleRunner(configuration), configuration);

    @Test
    void runsTheSwarmPlaybookBesideTheConfiguredOneOnTheLocalGroup() {
        PlaybookRun run = executor.playbookRun(new SwarmService("shop_web"), 4, false);

        assertThat(run.playbook()).isEqualTo(Path.of("/opt/scaler/ansible/swarm_scale.yml"));
        assertThat(run.inventory()).isEqualTo(Path.of("/opt/scaler/inventories/local/hosts.yml"));
        assertThat(run.variables()).isEqualTo(Map.of("scaler_hosts", "local",
                "swarm_scale_service", "shop_web", "swarm_scale_replicas", 4));
        assertThat(run.timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(run.check()).isFalse();
        assertThat(executor.playbookRun(new SwarmService("shop_web"), 0, true).check()).isTrue();
    }

    @Test
    void aNegativeCountIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> executor.playbookRun(new SwarmService("web"), -1, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("replicas must be >= 0, got -1");
    }

    @Test
    void aServiceNameMustBeDockers() {
        assertThatThrownBy(() -> new SwarmService("web;id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$, got 'web;id'");
        assertThatThrownBy(() -> new SwarmService(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
