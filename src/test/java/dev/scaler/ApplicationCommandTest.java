package dev.scaler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code main} runs a subcommand without the server, and leaves everything else to Micronaut. */
class ApplicationCommandTest {

    @Test
    void backtestIsASubcommandWithItsExitCode(@TempDir Path dir) throws IOException {
        Path trace = Files.writeString(dir.resolve("load.csv"), "0,100\n60,300\n120,200\n");
        Path policy = Files.writeString(dir.resolve("p.yml"), "max-replicas: 5\n");
        assertThat(Application.runCommand(new String[] {"backtest", "--trace", trace.toString(), "--policy",
                policy.toString(), "--out", dir.resolve("out").toString()})).hasValue(0);
        assertThat(dir.resolve("out/p.svg")).exists();
        assertThat(Application.runCommand(new String[] {"backtest", "--no-such-option"})).hasValue(2);
    }

    @Test
    void anythingElseStartsTheService() {
        assertThat(Application.runCommand(new String[0])).isEqualTo(OptionalInt.empty());
        assertThat(Application.runCommand(new String[] {"-Dmicronaut.server.port=8081"})).isEmpty();
    }
}
