package dev.scaler.policy;

import dev.scaler.ApplicationCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scaler validate FILE} as a person runs it: exit code, stdout and stderr. */
class ValidateCommandTest {

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cli = new CommandLine(new ValidateCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aValidFileExitsZeroWithASummaryOfItsTargets() throws IOException {
        Path file = Files.writeString(dir.resolve("policy.yml"), """
                targets:
                  web:
                    query: up
                    compose-project: shop
                    max-replicas: 8
                  worker:
                    query: up
                    compose-project: shop
                    dry-run: true
                """);
        assertThat(run(file.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("web: service web of project shop, min 1, max 8")
                .contains("worker: service worker of project shop, min 1, max 10, capacity per replica 100.0, dry run")
                .contains(file + ": valid, 2 targets");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void everyErrorIsPrintedWithItsLineAndTheExitCodeIsOne() throws IOException {
        Path file = Files.writeString(dir.resolve("policy.yml"), """
                targets:
                  web:
                    query: up
                    compose-project: shop
                    max-replicas: many
                  worker:
                    compose-project: shop
                    tolerance: lots
                """);
        assertThat(run(file.toString())).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly(
                file + ":5: targets.web.max-replicas: 'many' is not a whole number",
                file + ":6: targets.worker.query: is required (PromQL returning the load as one series)",
                file + ":8: targets.worker.tolerance: 'lots' is not a number",
                file + ": invalid, 3 errors");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aMissingFileIsAnErrorAndNoFileIsAUsageError() {
        assertThat(run(dir.resolve("none.yml").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("none.yml: does not exist");
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
    }

    @Test
    void itIsASubcommandOfTheJar() throws IOException {
        Path good = Files.writeString(dir.resolve("good.yml"), "targets:\n  web:\n    query: up\n    compose-project: p\n");
        Path bad = Files.writeString(dir.resolve("bad.yml"), "targets:\n  web:\n    query: up\n");
        assertThat(ApplicationCommands.run("validate", good.toString())).hasValue(0);
        assertThat(ApplicationCommands.run("validate", bad.toString())).hasValue(1);
        assertThat(ApplicationCommands.run("validate", "--no-such-option")).hasValue(2);
    }
}
