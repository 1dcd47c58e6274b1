package dev.scaler.execution;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Scales a compose service by running ansible/scale.yml (role compose_scale) on the local inventory. */
@Singleton
public class AnsibleScaleExecutor implements ScaleExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(AnsibleScaleExecutor.class);

    /** The inventory group the playbook runs on; Scaler only drives the local Docker engine. */
    static final String LOCAL_HOSTS = "local";

    private final AnsibleRunner runner;
    private final ExecutionConfiguration configuration;

    public AnsibleScaleExecutor(AnsibleRunner runner, ExecutionConfiguration configuration) {
        this.runner = runner;
        this.configuration = configuration;
    }

    @Override
    public PlaybookResult scale(String target, ComposeService service, int replicas) {
        PlaybookRun run = playbookRun(service, replicas, false);
        LOG.info("scaling {}: project={} service={} replicas={}", target, service.projectName(), service.service(),
                replicas);
        return runner.run(target, run);
    }

    /**
     * Runs the playbook in check mode: reports whether it would scale, changes nothing. A successful
     * check comes back as {@link ActionOutcome#DRY_RUN}.
     */
    public PlaybookResult dryRun(String target, ComposeService service, int replicas) {
        PlaybookRun run = playbookRun(service, replicas, true);
        LOG.info("checking scale of {}: project={} service={} replicas={}", target, service.projectName(),
                service.service(), replicas);
        PlaybookResult result = runner.run(target, run);
        return result.outcome() != ActionOutcome.SUCCEEDED ? result
                : new PlaybookResult(ActionOutcome.DRY_RUN, result.exitCode(), result.startedAt(),
                        result.endedAt(), result.outputTail());
    }

    PlaybookRun playbookRun(ComposeService service, int replicas, boolean check) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be >= 0, got " + replicas);
        }
        Path directory = service.projectDirectory().toAbsolutePath();
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("scaler_hosts", LOCAL_HOSTS);
        variables.put("compose_scale_project_dir", directory.toString());
        variables.put("compose_scale_project_name", service.projectName());
        variables.put("compose_scale_service", service.service());
        variables.put("compose_scale_replicas", replicas);
        variables.put("compose_scale_files",
                service.composeFiles().stream().map(file -> directory.resolve(file).toString()).toList());
        PlaybookRun run = new PlaybookRun(configuration.playbook(), configuration.inventory(), variables,
                configuration.timeout(), check);
        return check ? run : run.locking(service.key());
    }
}
