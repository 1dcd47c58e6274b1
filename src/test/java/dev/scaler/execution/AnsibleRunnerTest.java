package dev.scaler.execution;

import dev.scaler.testing.RealParts;
import org.apache.commons.exec.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** AnsibleRunner against the real ansible-playbook with small test playbooks. */
class AnsibleRunnerTest {

    private static final Path PLAYBOOKS = Path.of("src/test/resources/playbooks");
    private static final Path INVENTORY = Path.of("inventories/local/hosts.yml");
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    private final AnsibleRunner runner = new AnsibleRunner("ansible-playbook", Path.of("ansible/ansible.cfg"));

    @Test
    void argvIsPassedArgumentByArgumentWithoutAShell() {
        PlaybookRun run = new PlaybookRun(Path.of("/tmp/dir with space/play.yml"), Path.of("/tmp/inv.yml"),
                Map.of(), Duration.ofSeconds(5), true);
        CommandLine command = runner.commandLine(run, Path.of("/tmp/vars; rm -rf x.yml"));

        assertThat(command.getExecutable()).isEqualTo("ansible-playbook");
        assertThat(command.getArguments()).containsExactly("-i", "/tmp/inv.yml", "-e", "@/tmp/vars; rm -rf x.yml",
                "--check", "/tmp/dir with space/play.yml");
        assertThat(command.toStrings()).doesNotContain("sh", "-c", "bash");
    }

    @Test
    void environmentPinsTheConfigAndTurnsColourOff() {
        Map<String, String> environment = runner.environment();
        assertThat(environment.get("ANSIBLE_CONFIG")).isEqualTo(Path.of("ansible/ansible.cfg").toAbsolutePath().toString());
        assertThat(environment).containsEntry("ANSIBLE_NOCOLOR", "1").containsEntry("ANSIBLE_FORCE_COLOR", "0")
                .containsKey("PATH");
    }

    @Test
    void templateInAValueReachesAnsibleAsLiteralTextAndVarsFileIsPrivateAndDeleted(@TempDir Path dir)
            throws IOException {
        RealParts.requireCommand("ansible-playbook");
        String probe = "{{ lookup('pipe','id') }}";
        Path probeFile = dir.resolve("probe.txt");
        // finds this run's vars file among those of any other run on the machine
        String marker = "marker-" + UUID.randomUUID();

        PlaybookResult result = runner.run("test-unsafe", new PlaybookRun(PLAYBOOKS.resolve("print-variable.yml"),
                INVENTORY, Map.of("scaler_probe", probe, "scaler_probe_file", probeFile.toString(),
                        "scaler_vars_dir", TMP.toString(), "scaler_run_marker", marker), Duration.ofMinutes(2), false));

        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.exitCode()).isZero();
        assertThat(Files.readString(probeFile)).isEqualTo(probe);
        assertThat(result.outputTail()).contains("probe=[" + probe + "]").doesNotContain("uid=");
        // While it ran, the vars file existed and was owner-only; afterwards it is gone.
        Matcher varsFile = Pattern.compile("vars-file=(\\S+) vars-file-mode=(\\d+)").matcher(result.outputTail());
        assertThat(varsFile.find()).as(result.outputTail()).isTrue();
        assertThat(varsFile.group(2)).isEqualTo("0600");
        assertThat(Path.of(varsFile.group(1))).doesNotExist();
        assertThat(varsFile.find()).as("one vars file holds the run's marker").isFalse();
    }

    @Test
    void failingPlaybookIsFailedWithExitCodeTwo() {
        RealParts.requireCommand("ansible-playbook");
        PlaybookResult result = runner.run("test-fail", new PlaybookRun(PLAYBOOKS.resolve("fail.yml"), INVENTORY,
                Map.of(), Duration.ofMinutes(2), false));

        assertThat(result.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.outputTail()).contains("scaler test failure on purpose");
    }

    @Test
    void missingBinaryIsFailedWithTheReasonInTheTail() {
        AnsibleRunner missing = new AnsibleRunner("/nonexistent/ansible-playbook", Path.of("ansible/ansible.cfg"));
        PlaybookResult result = missing.run("test-missing", new PlaybookRun(PLAYBOOKS.resolve("fail.yml"),
                INVENTORY, Map.of(), Duration.ofSeconds(10), false));

        assertThat(result.outcome()).isEqualTo(ActionOutcome.FAILED);
        assertThat(result.exitCode()).isNull();
        assertThat(result.outputTail()).contains("/nonexistent/ansible-playbook");
    }

    @Test
    void hangingPlaybookTimesOutPromptlyAndLeavesNoProcessBehind() throws InterruptedException {
        RealParts.requireCommand("ansible-playbook");
        Instant started = Instant.now();
        // Watch for the sleep while the run is on, to prove the kill had a grandchild to kill.
        Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleAtFixedRate(() -> seen.addAll(leftoverSleeps(started)), 0, 100, TimeUnit.MILLISECONDS);

        PlaybookResult result;
        try {
            result = runner.run("test-hang", new PlaybookRun(PLAYBOOKS.resolve("hang.yml"), INVENTORY,
                    // 6 s: ansible-playbook takes 1 to 4 s to reach its sleep task on a busy 2-core machine.
                    Map.of(), Duration.ofSeconds(6), false));
        } finally {
            watcher.shutdownNow();
        }

        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.TIMED_OUT);
        assertThat(seen).as("sleep 600 started before the timeout").isNotEmpty();
        assertThat(result.exitCode()).isNull();
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(15));
        // Killing is asynchronous; give the kernel a moment to reap.
        for (int i = 0; i < 50 && !leftoverSleeps(started).isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertThat(leftoverSleeps(started)).isEmpty();
    }

    @Test
    void resultComesBackPromptlyWhenAnOrphanHoldsStdoutOpen(@TempDir Path dir) throws Exception {
        // A stand-in for ansible-playbook whose background child outlives it and keeps stdout open.
        Path fake = dir.resolve("fake-ansible-playbook");
        Files.writeString(fake, "#!/bin/sh\n(sleep 30 & echo \"orphan=$!\")\necho finished\nexit 0\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Instant started = Instant.now();

        PlaybookResult result = new AnsibleRunner(fake.toString(), Path.of("ansible/ansible.cfg"))
                .run("test-orphan", new PlaybookRun(PLAYBOOKS.resolve("fail.yml"), INVENTORY, Map.of(),
                        Duration.ofMinutes(1), false));
        try {
            assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(10));
            assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED);
            assertThat(result.exitCode()).isZero();
            assertThat(result.outputTail()).contains("finished");
        } finally {
            result.outputTail().lines().filter(l -> l.startsWith("orphan=")).map(l -> Long.parseLong(l.substring(7)))
                    .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static List<ProcessHandle> leftoverSleeps(Instant since) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> List.of(a).equals(List.of("600"))).orElse(false))
                .filter(p -> p.info().startInstant().map(s -> !s.isBefore(since.minusSeconds(1))).orElse(false))
                .filter(ProcessHandle::isAlive)
                .toList();
    }
}
