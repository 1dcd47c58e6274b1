package dev.scaler.bench;

import dev.scaler.execution.ActionOutcome;
import dev.scaler.execution.AnsibleRunner;
import dev.scaler.execution.AnsibleScaleExecutor;
import dev.scaler.execution.ComposeService;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.execution.PlaybookResult;
import dev.scaler.execution.TestProjects;
import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One local scale action (1 -> 2 replicas, then back to 1) through the repository's playbook, as Scaler
 * runs it, against the bare {@code docker-compose up --scale} command it wraps. Prints figures; asserts
 * nothing.
 */
class ScaleActionBenchmark {

    private static final int ROUNDS = 5;

    @Test
    void ansibleVersusBareCompose() throws Exception {
        RealParts.requireDocker();
        RealParts.requireCommand("ansible-playbook");
        RealParts.requireCommand("docker-compose");
        String project = TestProjects.uniqueName();
        Path dir = TestProjects.createDirectory();
        try {
            ComposeService web = new ComposeService(project, dir, List.of(Path.of("docker-compose.yml")), "web");
            ExecutionConfiguration configuration = new ExecutionConfiguration("ansible-playbook",
                    Path.of("ansible/scale.yml"), Path.of("inventories/local/hosts.yml"), Path.of("ansible/ansible.cfg"),
                    Duration.ofMinutes(3), java.util.List.of());
            AnsibleScaleExecutor executor = new AnsibleScaleExecutor(new AnsibleRunner(configuration), configuration);
            bare(project, dir, 1);

            long[] ansible = new long[ROUNDS * 2];
            long[] compose = new long[ROUNDS * 2];
            for (int round = 0; round < ROUNDS; round++) {
                ansible[2 * round] = timeAnsible(executor, web, 2);
                ansible[2 * round + 1] = timeAnsible(executor, web, 1);
                compose[2 * round] = bare(project, dir, 2);
                compose[2 * round + 1] = bare(project, dir, 1);
            }
            long noChange = timeAnsible(executor, web, 1);
            report("ansible-playbook scale.yml", ansible);
            report("docker-compose up --scale", compose);
            System.out.printf("BENCH scale action ansible-playbook with nothing to change: %d ms%n", noChange);
        } finally {
            TestProjects.down(project, dir);
        }
    }

    private static long timeAnsible(AnsibleScaleExecutor executor, ComposeService web, int replicas) {
        long start = System.nanoTime();
        PlaybookResult result = executor.scale("bench", web, replicas);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (result.outcome() != ActionOutcome.SUCCEEDED) {
            throw new IllegalStateException("playbook " + result.outcome() + ": " + result.outputTail());
        }
        return millis;
    }

    private static long bare(String project, Path dir, int replicas) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder("docker-compose", "-p", project, "up", "-d", "--no-deps", "--no-recreate",
                "--scale", "web=" + replicas, "web").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("docker-compose up --scale web=" + replicas + " failed");
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void report(String what, long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf("BENCH scale action %s: median=%d ms min=%d ms max=%d ms over %d actions%n",
                what, sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], sorted.length);
    }
}
