package dev.scaler.stack;

import dev.scaler.testing.Processes;
import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/cds-training.sh} run as a person runs it from a checkout, with relative paths: the archive it
 * writes must map for a JVM started in any other directory, as {@code scripts/run.sh}, the benchmarks and the
 * image start the service. A JVM that cannot map an archive says nothing and loads every class from the jar, so
 * {@code -Xshare:on} (which refuses to start instead) is the proof.
 */
class CdsTrainingScriptTest {

    @TempDir
    Path work;

    @Test
    void anArchiveMadeWithRelativePathsMapsFromAnyDirectory() throws Exception {
        Path built = StackEndToEndTest.freshJar().orElse(null);
        RealParts.require(built != null, "a jar in target/ newer than its sources (mvn package -DskipTests)");
        Files.createDirectories(work.resolve("app"));
        Files.copy(built, work.resolve("app/scaler.jar"));
        Files.createDirectories(work.resolve("elsewhere"));

        Processes.Result training = Processes.run(work, Map.of("JAVA_OPTS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"),
                Duration.ofMinutes(4), null, List.of("sh", StackEndToEndTest.REPO.resolve("scripts/cds-training.sh")
                        .toString(), "app/scaler.jar", "app/scaler.jsa"));
        assertThat(training.exitCode()).as(training.output()).isZero();
        assertThat(training.output()).contains("classes recorded");

        Processes.Result mapped = Processes.run(work.resolve("elsewhere"), Map.of(), Duration.ofMinutes(1), null,
                List.of("java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:on",
                        "-XX:SharedArchiveFile=" + work.resolve("app/scaler.jsa"), "-XX:+PrintSharedArchiveAndExit",
                        "-jar", work.resolve("app/scaler.jar").toString()));
        assertThat(mapped.exitCode()).as(tail(mapped.output())).isZero();
        assertThat(mapped.output()).contains("archive is valid");
    }

    // the archive's listing is one line per class: the verdict is at the end
    private static String tail(String output) {
        return output.substring(Math.max(0, output.length() - 2000));
    }
}
