package dev.scaler.swarm;

import dev.scaler.execution.ActionOutcome;
import dev.scaler.execution.AnsibleRunner;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.execution.PlaybookResult;
import dev.scaler.testing.Await;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.SecondLane;
import dev.scaler.testing.SwarmCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ansible/swarm_scale.yml on a real single-node swarm: first as an operator runs it (the command in
 * docs/swarm.md), then from Java through SwarmScaleExecutor. Steps build on each other, hence the order.
 */
@SecondLane
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmPlaybookTest {

    private static final String PREFIX = "ANSIBLE_CONFIG=ansible/ansible.cfg ansible-playbook ";

    private SwarmCluster swarm;
    private String name;
    private SwarmScaleExecutor executor;

    @BeforeAll
    void swarm() {
        RealParts.requireCommand("ansible-playbook");
        swarm = SwarmCluster.open("scalerswpb");
        name = swarm.createService("web", 1);
        ExecutionConfiguration configuration = new ExecutionConfiguration("ansible-playbook",
                Path.of("ansible/scale.yml"), Path.of("inventories/local/hosts.yml"), Path.of("ansible/ansible.cfg"),
                Duration.ofMinutes(3), java.util.List.of());
        executor = new SwarmScaleExecutor(new AnsibleRunner(configuration), configuration);
    }

    @AfterAll
    void cleanUp() {
        if (swarm != null) {
            swarm.close();
        }
    }

    @Test
    @Order(1)
    void documentedCommandScalesUp() throws Exception {
        String output = byHand(3);

        assertThat(output).contains(report(1, 3, "3")).contains("changed=1");
        assertThat(swarm.running(name)).isEqualTo(3);
        assertThat(swarm.desired(name)).isEqualTo(3);
    }

    @Test
    @Order(2)
    void secondRunWithTheSameCountChangesNothing() throws Exception {
        String output = byHand(3);

        assertThat(output).contains(report(3, 3, "3")).contains("changed=0");
    }

    @Test
    @Order(3)
    void checkModeReportsTheChangeButChangesNothing() throws Exception {
        String output = byHand(1, "--check");

        assertThat(output).contains("would scale " + name + " from 3 to 1").contains("changed=1")
                .contains("\\\"running\\\": null").contains("\\\"check_mode\\\": true");
        assertThat(swarm.desired(name)).isEqualTo(3);
        assertThat(swarm.running(name)).isEqualTo(3);
    }

    @Test
    @Order(4)
    void executorScalesDown() {
        PlaybookResult result = executor.scale("it-swarm", new SwarmService(name), 1);

        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.outputTail()).contains(report(3, 1, "1"));
        assertThat(swarm.desired(name)).isEqualTo(1);
        assertThat(swarm.running(name)).isEqualTo(1);
    }

    @Test
    @Order(5)
    void executorDryRunChangesNothing() {
        PlaybookResult result = executor.dryRun("it-swarm", new SwarmService(name), 2);

        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.DRY_RUN);
        assertThat(result.outputTail()).contains("would scale " + name + " from 1 to 2");
        assertThat(swarm.desired(name)).isEqualTo(1);
    }

    @Test
    @Order(6)
    void aMissingServiceFailsWithDockersReason() {
        PlaybookResult result = executor.scale("it-missing", new SwarmService("scalerswpb-nosuchservice"), 2);

        assertThat(result.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.outputTail())
                .contains("swarm_scale_service 'scalerswpb-nosuchservice': Error: no such service: scalerswpb-nosuchservice");
    }

    @Test
    @Order(7)
    void aGlobalServiceIsRefused() {
        String global = swarm.createGlobalService("global");

        PlaybookResult result = executor.scale("it-global", new SwarmService(global), 2);

        assertThat(result.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.outputTail()).contains("swarm_scale_service '" + global + "' is not a replicated service");
    }

    @Test
    @Order(8)
    void aTemplateInTheNameIsRefusedAsText() throws Exception {
        // Scaler's own path never gets here (SwarmService refuses the name); the role must refuse it too,
        // and the vars file's !unsafe keeps the lookup from running.
        Process p = playbook(List.of("-e", "@" + varsFile("swarm_scale_service: !unsafe \"{{ lookup('pipe', 'id') }}\"\n"
                + "swarm_scale_replicas: 1\n")), List.of());
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();

        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).contains("swarm_scale_service must match").contains("lookup('pipe', 'id')")
                .doesNotContain("uid=");
    }

    @Test
    @Order(9)
    void aNegativeCountAndAMissingServiceAreRefusedByTheArgumentChecks() throws Exception {
        Process negative = playbook(List.of("-e", "swarm_scale_service=" + name, "-e", "swarm_scale_replicas=-1"),
                List.of());
        String output = new String(negative.getInputStream().readAllBytes());
        assertThat(negative.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(output).contains("swarm_scale_replicas must be an integer >= 0, got '-1'");

        Process missing = playbook(List.of("-e", "swarm_scale_replicas=1"), List.of());
        output = new String(missing.getInputStream().readAllBytes());
        assertThat(missing.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(output).contains("missing required arguments: swarm_scale_service");
        assertThat(swarm.desired(name)).isEqualTo(1);
    }

    @Test
    @Order(10)
    void aScaleThatCannotConvergeIsSetReportedAndNotWaitedForForever() throws Exception {
        String starved = swarm.createServiceOfWhichTwoFit("starved", 2);
        Await.until("two tasks running", Duration.ofSeconds(90), () -> swarm.running(starved) == 2);

        Process p = playbook(List.of("-e", "swarm_scale_service=" + starved, "-e", "swarm_scale_replicas=3",
                "-e", "swarm_scale_wait_seconds=3"), List.of());
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("changed=1")
                .contains(starved + " is set to 3 replicas but 2 run after waiting 3s; swarm keeps placing the rest")
                .contains("\\\"wanted\\\": 3, \\\"running\\\": 2");
        assertThat(swarm.desired(starved)).isEqualTo(3);

        // Already set to 3 with 2 running: nothing to change, nothing to wait for, not a failure.
        Process again = playbook(List.of("-e", "swarm_scale_service=" + starved, "-e", "swarm_scale_replicas=3"),
                List.of());
        String second = new String(again.getInputStream().readAllBytes());
        assertThat(again.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(again.exitValue()).as(second).isZero();
        assertThat(second).contains("changed=0").doesNotContain("RETRYING")
                .contains("\\\"before\\\": 3, \\\"wanted\\\": 3, \\\"running\\\": 2");
    }

    /** Runs the documented line with the example service and count swapped; fails unless it exits 0. */
    private String byHand(int replicas, String... extra) throws Exception {
        String documented = Files.readAllLines(Path.of("docs/swarm.md")).stream()
                .filter(line -> line.startsWith(PREFIX)).findFirst()
                .orElseThrow(() -> new AssertionError("docs/swarm.md has no line starting with " + PREFIX));
        assertThat(documented).contains("swarm_scale_service=shop_web ").endsWith("swarm_scale_replicas=3");
        // The documented line has no quoting, so splitting on spaces gives exactly the shell's words.
        List<String> words = new ArrayList<>(Arrays.asList(documented.split(" +")));
        words.remove(0);
        List<String> argv = new ArrayList<>(words.stream()
                .map(w -> w.replace("swarm_scale_service=shop_web", "swarm_scale_service=" + name))
                .map(w -> w.replace("swarm_scale_replicas=3", "swarm_scale_replicas=" + replicas))
                .toList());
        argv.addAll(List.of(extra));
        Process process = start(argv);
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private Process playbook(List<String> variables, List<String> extra) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ansible-playbook", "-i", "inventories/local/hosts.yml",
                "ansible/swarm_scale.yml"));
        argv.addAll(variables);
        argv.addAll(extra);
        return start(argv);
    }

    private static Process start(List<String> argv) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().put("ANSIBLE_CONFIG", "ansible/ansible.cfg");
        builder.environment().put("ANSIBLE_NOCOLOR", "1");
        return builder.start();
    }

    private static Path varsFile(String yaml) throws Exception {
        Path file = Files.createTempFile("scaler-swarm-test-", ".yml");
        file.toFile().deleteOnExit();
        return Files.writeString(file, "---\n" + yaml);
    }

    /** The scaler_result line as the default callback prints it (JSON inside a JSON string). */
    private String report(int before, int wanted, String running) {
        return "{\\\"scaler_result\\\": {\\\"service\\\": \\\"" + name + "\\\", \\\"before\\\": " + before
                + ", \\\"wanted\\\": " + wanted + ", \\\"running\\\": " + running;
    }
}
