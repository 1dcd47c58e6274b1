package dev.scaler.execution;

import dev.scaler.observation.DockerReplicaObserver;
import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole execution path against the real engine: AnsibleScaleExecutor runs ansible/scale.yml,
 * DockerReplicaObserver checks what really runs. Steps build on each other, hence the order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnsibleComposeScaleTest {

    private final String project = TestProjects.uniqueName();
    private Path directory;
    private ComposeService web;
    private AnsibleRunner runner;
    private ExecutionConfiguration configuration;
    private AnsibleScaleExecutor executor;
    private DockerReplicaObserver observer;

    @BeforeAll
    void createProject() throws Exception {
        RealParts.requireDocker();
        RealParts.requireCommand("ansible-playbook");
        RealParts.requireCommand("docker-compose");
        directory = TestProjects.createDirectory();
        web = new ComposeService(project, directory, List.of(Path.of("docker-compose.yml")), "web");
        configuration = new ExecutionConfiguration("ansible-playbook", Path.of("ansible/scale.yml"),
                Path.of("inventories/local/hosts.yml"), Path.of("ansible/ansible.cfg"), Duration.ofMinutes(3), java.util.List.of());
        runner = new AnsibleRunner(configuration);
        executor = new AnsibleScaleExecutor(runner, configuration);
        observer = new DockerReplicaObserver(null);
    }

    @AfterAll
    void removeProject() throws Exception {
        if (observer != null) {
            observer.close();
        }
        if (directory != null) {
            TestProjects.down(project, directory);
        }
    }

    @Test
    @Order(1)
    void scalesFromZeroToThree() throws Exception {
        assertThat(observer.runningReplicas(project, "web")).isZero();

        PlaybookResult result = executor.scale("it-web", web, 3);

        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.exitCode()).isZero();
        assertThat(result.outputTail()).contains(report(0, 3, "3")).contains("changed=1");
        assertThat(observer.runningReplicas(project, "web")).isEqualTo(3);
    }

    @Test
    @Order(2)
    void secondRunWithTheSameCountChangesNothing() throws Exception {
        PlaybookResult result = executor.scale("it-web", web, 3);

        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.outputTail()).contains("changed=0").contains(report(3, 3, "3"));
        assertThat(observer.runningReplicas(project, "web")).isEqualTo(3);
    }

    @Test
    @Order(3)
    void checkModeReportsTheChangeButChangesNothing() throws Exception {
        PlaybookResult result = executor.dryRun("it-web", web, 1);

        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.DRY_RUN);
        // the report is the task that says changed: it would scale from 3 to 1
        assertThat(result.outputTail()).contains("changed: [localhost]").contains("changed=1")
                .contains(report(3, 1, "null")).contains("\\\"check_mode\\\": true");
        assertThat(observer.runningReplicas(project, "web")).isEqualTo(3);
    }

    @Test
    @Order(4)
    void scalesDownFromThreeToOne() throws Exception {
        PlaybookResult result = executor.scale("it-web", web, 1);

        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.outputTail()).contains(report(3, 1, "1"));
        assertThat(observer.runningReplicas(project, "web")).isEqualTo(1);
    }

    @Test
    @Order(5)
    void unknownServiceFailsWithComposeReasonInTheTail() throws Exception {
        ComposeService missing = new ComposeService(project, directory, List.of(), "nosuchservice");

        PlaybookResult result = executor.scale("it-missing", missing, 2);

        assertThat(result.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.outputTail()).contains("No such service: nosuchservice");
        assertThat(observer.runningReplicas(project, "web")).isEqualTo(1);
    }

    @Test
    @Order(6)
    void badServiceNameIsRejectedByThePreflightChecks() {
        // ComposeService refuses such a name, so go around it: the role must refuse it on its own.
        PlaybookResult result = runner.run("it-bad-name", run(Map.of("compose_scale_service", "web;id",
                "compose_scale_replicas", 1)));

        assertThat(result.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.outputTail()).contains("compose_scale_service must match").contains("web;id");
    }

    @Test
    @Order(7)
    void negativeReplicaCountIsRejectedByThePreflightChecks() {
        PlaybookResult result = runner.run("it-negative", run(Map.of("compose_scale_service", "web",
                "compose_scale_replicas", -1)));

        assertThat(result.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.outputTail()).contains("compose_scale_replicas must be an integer >= 0, got '-1'");
    }

    @Test
    @Order(8)
    void missingServiceIsRejectedByArgumentValidation() {
        PlaybookResult result = runner.run("it-no-service", run(Map.of("compose_scale_replicas", 1)));

        assertThat(result.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.outputTail()).contains("missing required arguments: compose_scale_service");
    }

    @Test
    @Order(9)
    void oneOffContainersAreNotCountedAsReplicas() throws Exception {
        // "compose run" gives a container the service's labels plus oneoff=True; it is not a replica.
        Process oneOff = new ProcessBuilder("docker-compose", "-p", project, "run", "-d", "--rm", "web",
                "/bin/sleep", "120").directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(oneOff.getInputStream().readAllBytes());
        assertThat(oneOff.waitFor()).as(output).isZero();

        assertThat(observer.runningReplicas(project, "web")).isEqualTo(1);
        PlaybookResult result = executor.scale("it-web", web, 1);
        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.outputTail()).contains("changed=0").contains(report(1, 1, "1"));
    }

    @Test
    @Order(10)
    void forcedComposeV2RunsDockerCompose() {
        // This machine has no Compose v2, so forcing it must fail in "docker compose", proving the
        // v2 command line is the one used; with v2 installed the same run would scale.
        PlaybookResult result = runner.run("it-v2", run(Map.of("compose_scale_service", "web",
                "compose_scale_replicas", 2, "compose_scale_command", "v2")));

        if (RealParts.runsOk("docker", "compose", "version")) {
            assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED);
        } else {
            assertThat(result.outcome()).isEqualTo(ActionOutcome.FAILED);
            assertThat(result.outputTail()).contains("\"cmd\": [\"docker\", \"compose\", \"-p\"");
        }
    }

    @Test
    @Order(11)
    void toldTheCountAndTheCommandTheRunIsTheScaleCommandAlone() throws Exception {
        int before = observer.runningReplicas(project, "web");

        PlaybookResult result = executor.scale("it-web", web, before + 1, before);

        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.outputTail()).contains(report(before, before + 1, "null"))
                .contains("\\\"before_given\\\": true, \\\"after_counted\\\": false")
                .contains("changed=1")
                // no probe, no count: the only module run is compose's
                .doesNotContain("Check whether Compose v2 is available")
                .doesNotContain("Count the running containers of the service before scaling")
                .doesNotContain("Count the running containers of the service after scaling")
                .contains("End the play for this host, which was told everything and is done")
                .contains("ok=3    changed=1    unreachable=0    failed=0    skipped=0");
        assertThat(observer.runningReplicas(project, "web")).isEqualTo(before + 1);
    }

    @Test
    @Order(12)
    void toldTheCountTheSameCountChangesNothing() throws Exception {
        int before = observer.runningReplicas(project, "web");

        PlaybookResult result = executor.scale("it-web", web, before, before);

        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.outputTail()).contains("changed=0").contains(report(before, before, "null"));
    }

    @Test
    @Order(13)
    void toldCheckModeUsesTheToldCount() throws Exception {
        int running = observer.runningReplicas(project, "web");
        Map<String, Object> told = new java.util.HashMap<>(Map.of("compose_scale_service", "web",
                "compose_scale_replicas", running + 2, "compose_scale_before", running,
                "compose_scale_count_after", false, "compose_scale_command", "v1"));
        PlaybookRun check = new PlaybookRun(configuration.playbook(), configuration.inventory(),
                withProject(told), configuration.timeout(), true);

        PlaybookResult result = runner.run("it-check", check);

        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.outputTail()).contains("changed=1").contains(report(running, running + 2, "null"))
                .contains("\\\"check_mode\\\": true");
        assertThat(observer.runningReplicas(project, "web")).isEqualTo(running);
    }

    @Test
    @Order(14)
    void aMissingProjectDirectoryFailsNamingItToldOrNot() {
        Map<String, Object> told = new java.util.HashMap<>(Map.of("compose_scale_project_dir", "/nonexistent/scalerit",
                "compose_scale_service", "web", "compose_scale_replicas", 2, "compose_scale_before", 1,
                "compose_scale_count_after", false, "compose_scale_command", "v1"));
        Map<String, Object> counted = new java.util.HashMap<>(Map.of("compose_scale_project_dir",
                "/nonexistent/scalerit", "compose_scale_service", "web", "compose_scale_replicas", 2));

        for (Map<String, Object> variables : List.of(told, counted)) {
            PlaybookResult result = runner.run("it-no-dir", run(variables));

            assertThat(result.outcome()).isEqualTo(ActionOutcome.FAILED);
            assertThat(result.outputTail()).contains("Unable to change directory before execution")
                    .contains("/nonexistent/scalerit");
        }
    }

    @Test
    @Order(15)
    void aToldCountThatIsNotACountIsRejected() {
        PlaybookResult result = runner.run("it-bad-before", run(Map.of("compose_scale_service", "web",
                "compose_scale_replicas", 1, "compose_scale_before", -2)));

        assertThat(result.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.outputTail()).contains("compose_scale_before must be an integer >= 0 or null, got '-2'");
    }

    @Test
    @Order(16)
    void aToldRunWithBadInputTakesThePreflightAndIsRejectedNamingIt() {
        PlaybookResult result = runner.run("it-told-bad", run(Map.of("compose_scale_service", "web;id",
                "compose_scale_replicas", -1, "compose_scale_before", 1, "compose_scale_count_after", false,
                "compose_scale_command", "v1")));

        assertThat(result.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.outputTail()).contains("compose_scale_service must match").contains("web;id")
                .contains("compose_scale_replicas must be an integer >= 0, got '-1'")
                // not told: the told steps were skipped and the preflight said what is wrong
                .contains("TASK [compose_scale : Check the inputs]").contains("failed=1    skipped=2");
    }

    private Map<String, Object> withProject(Map<String, Object> overrides) {
        Map<String, Object> variables = new java.util.HashMap<>(Map.of(
                "compose_scale_project_dir", directory.toString(),
                "compose_scale_project_name", project));
        variables.putAll(overrides);
        return variables;
    }

    private PlaybookRun run(Map<String, Object> overrides) {
        Map<String, Object> variables = new java.util.HashMap<>(Map.of(
                "compose_scale_project_dir", directory.toString(),
                "compose_scale_project_name", project));
        variables.putAll(overrides);
        return new PlaybookRun(configuration.playbook(), configuration.inventory(), variables,
                configuration.timeout(), false);
    }

    /** The scaler_result line as the default callback prints it (JSON inside a JSON string). */
    private String report(int before, int wanted, String after) {
        return "{\\\"scaler_result\\\": {\\\"project\\\": \\\"" + project + "\\\", \\\"service\\\": \\\"web\\\", "
                + "\\\"before\\\": " + before + ", \\\"wanted\\\": " + wanted + ", \\\"after\\\": " + after;
    }
}
