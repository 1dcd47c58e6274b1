package dev.scaler.swarm;

import dev.scaler.execution.ActionOutcome;
import dev.scaler.execution.AnsibleRunner;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.execution.PlaybookResult;
import dev.scaler.execution.PlaybookRun;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scales a swarm service by running ansible/swarm_scale.yml (role swarm_scale) on the local inventory,
 * whose Docker engine is the swarm manager. The playbook sits beside the configured compose playbook.
 */
@Singleton
public class SwarmScaleExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmScaleExecutor.class);
    static final String PLAYBOOK = "swarm_scale.yml";
    static final String LOCAL_HOSTS = "local";

    private final AnsibleRunner runner;
    private final ExecutionConfiguration configuration;

    public SwarmScaleExecutor(AnsibleRunner runner, ExecutionConfiguration configuration) {
        this.runner = runner;
        this.configuration = configuration;
    }

    /** Sets the service to {@code replicas}; does not throw for a failed run. */
    public PlaybookResult scale(String target, SwarmService service, int replicas) {
        LOG.info("scaling {}: swarm service={} replicas={}", target, service.name(), replicas);
        return runner.run(target, playbookRun(service, replicas, false));
    }

    /** Runs the playbook in check mode; a successful check comes back as {@link ActionOutcome#DRY_RUN}. */
    public PlaybookResult dryRun(String target, SwarmService service, int replicas) {
        LOG.info("checking scale of {}: swarm service={} replicas={}", target, service.name(), replicas);
        PlaybookResult result = runner.run(target, playbookRun(service, replicas, true));
        return result.outcome() != ActionOutcome.SUCCEEDED ? result
                : new PlaybookResult(ActionOutcome.DRY_RUN, result.exitCode(), result.startedAt(),
                        result.endedAt(), result.outputTail());
    }

    PlaybookRun playbookRun(SwarmService service, int replicas, boolean check) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be >= 0, got " + replicas);
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("scaler_hosts", LOCAL_HOSTS);
        variables.put("swarm_scale_service", service.name());
        variables.put("swarm_scale_replicas", replicas);
        PlaybookRun run = new PlaybookRun(playbook(), configuration.inventory(), variables, configuration.timeout(), check);
        return check ? run : run.locking(service.key());
    }

    Path playbook() {
        return configuration.playbook().toAbsolutePath().resolveSibling(PLAYBOOK);
    }
}
