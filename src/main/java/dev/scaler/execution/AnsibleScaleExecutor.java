package dev.scaler.execution;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scales a compose service by running ansible/scale.yml (role compose_scale) on the local inventory.
 *
 * <p>What Scaler already knows is passed, not asked again by the playbook: the compose CLI ({@link ComposeCli},
 * detected once) and, from {@link #scale(String, ComposeService, int, int)}, the count before, which Scaler observed.
 * Then the playbook neither probes nor counts before, and does not count after either
 * ({@code compose_scale_count_after: false}): the caller counts with the Docker API, which costs no process. A run is
 * then the argument check, the scale command (its only module run) and the report.
 * {@link #scale(String, ComposeService, int)} and {@link #dryRun} leave the counts to the playbook, as a run by hand
 * does.
 */
@Singleton
public class AnsibleScaleExecutor implements ScaleExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(AnsibleScaleExecutor.class);

    /** The inventory group the playbook runs on; Scaler only drives the local Docker engine. */
    static final String LOCAL_HOSTS = "local";

    private final AnsibleRunner runner;
    private final ExecutionConfiguration configuration;
    private final ComposeCli composeCli;

    @Inject
    public AnsibleScaleExecutor(AnsibleRunner runner, ExecutionConfiguration configuration) {
        this(runner, configuration, new ComposeCli(runner.environment()));
    }

    AnsibleScaleExecutor(AnsibleRunner runner, ExecutionConfiguration configuration, ComposeCli composeCli) {
        this.runner = runner;
        this.configuration = configuration;
        this.composeCli = composeCli;
    }

    @Override
    public PlaybookResult scale(String target, ComposeService service, int replicas) {
        PlaybookRun run = playbookRun(service, replicas, null, false);
        LOG.info("scaling {}: project={} service={} replicas={}", target, service.projectName(), service.service(),
                replicas);
        return runner.run(target, run);
    }

    /** Scales, told the count before; the playbook counts neither before nor after (see the class comment). */
    @Override
    public PlaybookResult scale(String target, ComposeService service, int replicas, int before) {
        PlaybookRun run = playbookRun(service, replicas, before, false);
        LOG.info("scaling {}: project={} service={} replicas={} before={}", target, service.projectName(),
                service.service(), replicas, before);
        return runner.run(target, run);
    }

    /**
     * Runs the playbook in check mode: reports whether it would scale, changes nothing. A successful
     * check comes back as {@link ActionOutcome#DRY_RUN}.
     */
    public PlaybookResult dryRun(String target, ComposeService service, int replicas) {
        PlaybookRun run = playbookRun(service, replicas, null, true);
        LOG.info("checking scale of {}: project={} service={} replicas={}", target, service.projectName(),
                service.service(), replicas);
        PlaybookResult result = runner.run(target, run);
        return result.outcome() != ActionOutcome.SUCCEEDED ? result
                : new PlaybookResult(ActionOutcome.DRY_RUN, result.exitCode(), result.startedAt(),
                        result.endedAt(), result.outputTail());
    }

    /** @param before the count before, when the caller knows it; null lets the playbook count before and after */
    PlaybookRun playbookRun(ComposeService service, int replicas, Integer before, boolean check) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be >= 0, got " + replicas);
        }
        if (before != null && before < 0) {
            throw new IllegalArgumentException("before must be >= 0, got " + before);
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
        variables.put("compose_scale_command", composeCli.command());
        if (before != null) {
            variables.put("compose_scale_before", before);
            variables.put("compose_scale_count_after", false);
        }
        PlaybookRun run = new PlaybookRun(configuration.playbook(), configuration.inventory(), variables,
                configuration.timeout(), check);
        return check ? run : run.locking(service.key());
    }
}
