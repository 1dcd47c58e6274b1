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

        Processes.Result training = training("app/scaler.jar", "app/scaler.jsa");
        assertThat(training.exitCode()).as(training.output()).isZero();
        assertThat(training.output()).contains("classes recorded");

        Processes.Result mapped = Processes.run(work.resolve("elsewhere"), Map.of(), Duration.ofMinutes(1), null,
                List.of("java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:on",
                        "-XX:SharedArchiveFile=" + work.resolve("app/scaler.jsa"), "-XX:+PrintSharedArchiveAndExit",
                        "-jar", work.resolve("app/scaler.jar").toString()));
        assertThat(mapped.exitCode()).as(tail(mapped.output())).isZero();
        assertThat(mapped.output()).contains("archive is valid");
    }

    @Test
    void aPathThatNamesNoDirectoryOrNoJarIsRefusedByName() throws Exception {
        // the paths are checked before anything runs, so the jar need not be one
        Files.createDirectories(work.resolve("app"));
        Files.createFile(work.resolve("app/scaler.jar"));
        Processes.Result noDirectory = training("app/scaler.jar", "missing/scaler.jsa");
        assertThat(noDirectory.exitCode()).isEqualTo(1);
        assertThat(noDirectory.output()).contains("cds-training: no directory missing");
        // nor does the archive go to a directory of its own choosing (the root, had the missing one been dropped)
        assertThat(work.resolve("scaler.jsa")).doesNotExist();
        assertThat(Path.of("/scaler.jsa")).doesNotExist();

        Processes.Result noJar = training("nowhere.jar", "scaler.jsa");
        assertThat(noJar.exitCode()).isEqualTo(1);
        assertThat(noJar.output()).contains("cds-training: no jar " + work.resolve("nowhere.jar"));
    }

    private Processes.Result training(String jar, String archive) {
        return Processes.run(work, Map.of("JAVA_OPTS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"), Duration.ofMinutes(4),
                null, List.of("sh", StackEndToEndTest.REPO.resolve("scripts/cds-training.sh").toString(), jar, archive));
    }

    // the archive's listing is one line per class: the verdict is at the end
    private static String tail(String output) {
        return output.substring(Math.max(0, output.length() - 2000));
    }
}
