package dev.scaler.history;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.scaler.history.AbstractHistoryStoreTest.NOW;
import static dev.scaler.history.AbstractHistoryStoreTest.decision;
import static dev.scaler.history.AbstractHistoryStoreTest.ids;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A history row committed just before a kill -9 is still there after the restart. H2's default write delay
 * lost such a row (docs/history.md, "Durability"); {@link DurableCommits} is what keeps it. The row is written by
 * a real JVM through the service's own beans, killed with SIGKILL the moment the write returns.
 */
class DurableCommitsTest {

    @Test
    void aRowCommittedJustBeforeAKillMinusNineOutlivesIt(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("scaler-history").toAbsolutePath();
        for (int round = 0; round < 3; round++) {
            Process writer = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                    "-cp", System.getProperty("java.class.path"), Writer.class.getName(), url, "web-" + round))
                    .redirectErrorStream(true).start();
            long id = -1;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("saved ")) {
                        id = Long.parseLong(line.substring("saved ".length()));
                        writer.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close of the store
                        break;
                    }
                }
            }
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).as("the writer JVM ended").isTrue();
            assertThat(id).as("the writer JVM saved a decision before it was killed").isPositive();

            try (ApplicationContext restarted = ApplicationContext.run(properties(url))) {
                assertThat(ids(restarted.getBean(HistoryStore.class).recent("web-" + round, 10)))
                        .as("round %d: the decision committed just before the kill", round)
                        .containsExactly(id);
            }
        }
    }

    static Map<String, Object> properties(String url) {
        Map<String, Object> p = H2HistoryStoreTest.h2(url);
        p.put("flyway.datasources.default.enabled", true);
        p.put("scaler.history.retention", "36500d");
        return p;
    }

    /** The JVM that is killed: saves one decision through the service's beans, says so, and waits. */
    public static final class Writer {
        public static void main(String[] args) throws InterruptedException {
            ApplicationContext context = ApplicationContext.run(properties(args[0]));
            long id = context.getBean(HistoryStore.class).saveDecision(decision(args[1], NOW, 4, "HEALTHY"));
            System.out.println("saved " + id);
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
