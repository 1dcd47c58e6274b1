package dev.scaler.stack;

import dev.scaler.Application;
import dev.scaler.testing.Processes;
import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.scaler.stack.StackEndToEndTest.REPO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JIT threshold is the service's flag only (README, "Memory and start-up"): it saves the idle service memory
 * but would slow a backtest's replay. Both ways in, {@code scripts/run.sh} and the image's entry point, start the
 * service with it and the subcommands without it. The two ways in are written apart, so a test holds them to the
 * same flags.
 */
class JvmFlagsTest {

    private static final String SERVICE_ONLY = "-XX:CompileThresholdScaling=8";

    @TempDir
    Path work;

    @Test
    void runScriptGivesTheServiceAndNotTheSubcommandsTheJitThreshold() throws Exception {
        Path jar = Files.createFile(work.resolve("scaler.jar")); // only looked at, never run
        assertThat(runScript(jar, Map.of(), "--print-java-opts")).contains(SERVICE_ONLY).contains("-Xms22m");
        for (String subcommand : Application.commandNames()) {
            assertThat(runScript(jar, Map.of(), "--print-java-opts", subcommand)).as(subcommand)
                    .doesNotContain("CompileThresholdScaling").contains("-Xms22m");
        }
        // JAVA_OPTS replaces every flag, this one too
        assertThat(runScript(jar, Map.of("JAVA_OPTS", "-Xmx64m"), "--print-java-opts")).isEqualTo("-Xmx64m");
    }

    /** The flags are written twice, in {@code scripts/run.sh} and in the image; they differ only in the heap's bound. */
    @Test
    void imageAndRunScriptGiveTheSameFlagsButTheBound() throws Exception {
        Path jar = Files.createFile(work.resolve("scaler.jar"));
        List<String> script = new ArrayList<>(List.of(runScript(jar, Map.of(), "--print-java-opts").split(" ")));
        assertThat(script.remove("-Xmx256m")).as("run.sh's bound").isTrue();

        String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
        List<String> image = new ArrayList<>(List.of(envValue(dockerfile, "JAVA_OPTS").split(" ")));
        assertThat(image.remove("-XX:MaxRAMPercentage=60")).as("the image's bound").isTrue();
        assertThat(image.remove("-XX:SharedArchiveFile=/opt/scaler/scaler.jsa")).as("the image's archive").isTrue();
        image.addAll(List.of(envValue(dockerfile, "SCALER_SERVICE_JAVA_OPTS").split(" ")));

        assertThat(image).containsExactlyInAnyOrderElementsOf(script);
    }

    private static String envValue(String dockerfile, String name) {
        Matcher m = Pattern.compile("\\s" + name + "=\"([^\"]*)\"").matcher(dockerfile);
        assertThat(m.find()).as(name + " in the Dockerfile").isTrue();
        return m.group(1);
    }

    @Test
    void imageGivesTheServiceAndNotTheSubcommandsTheJitThreshold() {
        String image = StackEndToEndTest.PREBUILT;
        RealParts.require(image != null, "an image built from this checkout (SCALER_TEST_STACK_IMAGE, scripts/test.sh)");
        RealParts.requireDocker();
        // the JVM starts with the entry point's flags, prints them, and stops after reading the archive, before
        // the jar runs (-version would stop the launcher reading the flags after it)
        assertThat(flagsInImage(image, List.of())).contains(SERVICE_ONLY.replace("=8", "=8.000000"));
        for (String subcommand : Application.commandNames()) {
            assertThat(flagsInImage(image, List.of(subcommand))).as(subcommand).doesNotContain("CompileThresholdScaling")
                    .contains("-XX:+UseSerialGC");
        }
        assertThat(flagsInImage(image, List.of("-e", "SCALER_SERVICE_JAVA_OPTS="), List.of()))
                .doesNotContain("CompileThresholdScaling");
    }

    private String runScript(Path jar, Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of("env", "-u", "JAVA_OPTS", "SCALER_CDS_ARCHIVE=off",
                "SCALER_JAR=" + jar));
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.add("bash");
        argv.add(REPO.resolve("scripts/run.sh").toString());
        argv.addAll(List.of(args));
        Processes.Result r = Processes.run(work, Map.of(), Duration.ofSeconds(30), null, argv);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output().strip();
    }

    private static String flagsInImage(String image, List<String> args) {
        return flagsInImage(image, List.of(), args);
    }

    private static String flagsInImage(String image, List<String> dockerOptions, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("docker", "run", "--rm", "-e",
                "JAVA_OPTS=-XX:+UseSerialGC -XX:+PrintCommandLineFlags -XX:SharedArchiveFile=/opt/scaler/scaler.jsa"
                        + " -XX:+PrintSharedArchiveAndExit"));
        argv.addAll(dockerOptions);
        argv.add(image);
        argv.addAll(args);
        Processes.Result r = Processes.run(REPO, Map.of(), Duration.ofMinutes(1), null, argv);
        assertThat(r.output()).as("the JVM's flags, then the archive's account").contains("-XX:+PrintCommandLineFlags")
                .contains("Static archive name");
        return r.output();
    }
}
