package dev.scaler.execution;

import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-service lock file and the shutdown interruption, against the real ansible-playbook and flock: two runs
 * for one service never overlap, whoever holds the lock (this JVM, or a process it no longer knows); runs for
 * different services do; a run killed at shutdown ends INTERRUPTED with its whole process tree.
 */
@Tag("chaos")
class AnsibleRunnerLockTest {

    private static final Path PLAYBOOKS = Path.of("src/test/resources/playbooks");
    private static final Path INVENTORY = Path.of("inventories/local/hosts.yml");
    private static final ServiceKey WEB = ServiceKey.compose("shop", "web");

    @TempDir
    Path locks;

    AnsibleRunner runner() {
        return new AnsibleRunner("ansible-playbook", Path.of("ansible/ansible.cfg"), locks);
    }

    static PlaybookRun sleep(ServiceKey lock) {
        return new PlaybookRun(PLAYBOOKS.resolve("sleep-briefly.yml"), INVENTORY, Map.of(), Duration.ofSeconds(60),
                false).locking(lock);
    }

    @Test
    void aLockedRunIsFlockAroundAnsiblePlaybookArgumentByArgument() {
        AnsibleRunner runner = runner();
        var command = runner.commandLine(sleep(WEB), Path.of("/tmp/vars.yml"));

        assertThat(command.getExecutable()).isEqualTo("flock");
        assertThat(command.getArguments()).startsWith("--verbose", "-w", "60", "-E", "75",
                runner.lockFile(WEB).toString(), "ansible-playbook", "-i");
        assertThat(runner.lockFile(WEB).getParent()).isEqualTo(locks);
    }

    @Test
    void twoRunsForOneServiceNeverOverlapWhileRunsForTwoServicesDo() throws Exception {
        RealParts.requireCommand("ansible-playbook");
        RealParts.requireCommand("flock");
        AnsibleRunner runner = runner();

        List<PlaybookResult> same = both(runner, sleep(WEB), sleep(WEB));
        List<PlaybookResult> different = both(runner, sleep(WEB), sleep(ServiceKey.compose("shop", "api")));

        assertThat(same).allSatisfy(r -> assertThat(r.outcome()).as(r.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED));
        PlaybookResult first = same.get(0).endedAt().isBefore(same.get(1).endedAt()) ? same.get(0) : same.get(1);
        PlaybookResult second = first == same.get(0) ? same.get(1) : same.get(0);
        assertThat(second.outputTail()).contains("getting lock took");
        assertThat(Duration.between(first.endedAt(), second.endedAt())).as("the second ran after the first")
                .isGreaterThan(Duration.ofSeconds(2));
        assertThat(different).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(ActionOutcome.SUCCEEDED));
        assertThat(Duration.between(different.get(0).endedAt(), different.get(1).endedAt()).abs())
                .as("different services ran side by side").isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aRunWaitsForALockHeldByAProcessThisJvmDidNotStartAndSaysWho() throws Exception {
        RealParts.requireCommand("ansible-playbook");
        RealParts.requireCommand("flock");
        AnsibleRunner runner = runner();
        java.nio.file.Files.createDirectories(locks);
        // an orphan of an earlier Scaler: holds the lock file as flock does for ansible-playbook
        Process orphan = new ProcessBuilder("flock", runner.lockFile(WEB).toString(), "sleep", "4").start();
        Instant until = Instant.now().plusSeconds(4);
        for (int i = 0; i < 50 && LockHolder.of(runner.lockFile(WEB)).isEmpty(); i++) {
            Thread.sleep(50);
        }
        OptionalLong holder = LockHolder.of(runner.lockFile(WEB));
        assertThat(holder).as("/proc/locks names the holder").isPresent();

        PlaybookResult result = runner.run("web", sleep(WEB));

        assertThat(result.outcome()).as(result.outputTail()).isEqualTo(ActionOutcome.SUCCEEDED);
        assertThat(result.outputTail()).contains("waiting for the lock of compose shop/web")
                .contains("held by pid " + holder.getAsLong());
        assertThat(result.endedAt()).as("ran only once the orphan let go").isAfter(until.plusSeconds(2));
        orphan.waitFor(5, TimeUnit.SECONDS);
    }

    @Test
    void interruptKillsTheRunningTreeAndRefusesNewRuns() throws Exception {
        RealParts.requireCommand("ansible-playbook");
        AnsibleRunner runner = runner();
        CompletableFuture<PlaybookResult> hanging = CompletableFuture.supplyAsync(() -> runner.run("web",
                new PlaybookRun(PLAYBOOKS.resolve("hang.yml"), INVENTORY, Map.of(), Duration.ofSeconds(120), false)
                        .locking(WEB)));
        for (int i = 0; i < 200 && runner.activeRuns() == 0; i++) {
            Thread.sleep(50);
        }
        Thread.sleep(3000); // into its sleep task

        assertThat(runner.interruptAll()).isEqualTo(1);
        PlaybookResult killed = hanging.get(20, TimeUnit.SECONDS);
        PlaybookResult refused = runner.run("web", sleep(WEB));

        assertThat(killed.outcome()).isEqualTo(ActionOutcome.INTERRUPTED);
        assertThat(killed.exitCode()).isNull();
        assertThat(killed.outputTail()).contains("killed at shutdown");
        assertThat(refused.outcome()).isEqualTo(ActionOutcome.INTERRUPTED);
        assertThat(refused.outputTail()).contains("not started: Scaler is shutting down");
        assertThat(runner.activeRuns()).isZero();
    }

    @Test
    void procLocksLinesNameTheHolderOfAnInodeAndSkipWaiters() {
        List<String> lines = List.of(
                "1: POSIX  ADVISORY  WRITE 100 08:01:555 0 EOF",
                "2: FLOCK  ADVISORY  WRITE 4711 08:01:1234567 0 EOF",
                "2: -> FLOCK  ADVISORY  WRITE 4712 08:01:1234567 0 EOF",
                "3: FLOCK  ADVISORY  WRITE 99 00:2f:77 0 EOF");

        assertThat(LockHolder.parse(lines, 1234567)).hasValue(4711);
        assertThat(LockHolder.parse(lines, 77)).hasValue(99);
        assertThat(LockHolder.parse(lines, 555)).as("fcntl locks are not flock's").isEmpty();
        assertThat(LockHolder.parse(lines, 1)).isEmpty();
    }

    private static List<PlaybookResult> both(AnsibleRunner runner, PlaybookRun a, PlaybookRun b) throws Exception {
        CompletableFuture<PlaybookResult> first = CompletableFuture.supplyAsync(() -> runner.run("a", a));
        CompletableFuture<PlaybookResult> second = CompletableFuture.supplyAsync(() -> runner.run("b", b));
        return List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));
    }
}
