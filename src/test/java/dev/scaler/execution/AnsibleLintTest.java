package dev.scaler.execution;

import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the Ansible content at ansible-lint's production profile, in CI as well as by hand. */
class AnsibleLintTest {

    @Test
    void ansibleContentPassesTheProductionProfile() throws Exception {
        RealParts.requireCommand("ansible-lint");
        Process process = new ProcessBuilder("ansible-lint", "--profile", "production", "--nocolor", "ansible/")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
    }
}
