package dev.scaler.stack;

import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The compose stack's files, checked by the tools that will read them. */
class StackConfigTest {

    @Test
    void composeFileIsValid() {
        RealParts.requireCommand("docker-compose");
        Result config = run(Map.of(), "docker-compose", "config");
        assertThat(config.exitCode()).as(config.output()).isZero();
        assertThat(config.output()).as("no variable is left undefined").doesNotContain("variable is not set");
        Result services = run(Map.of(), "docker-compose", "config", "--services");
        assertThat(services.output().lines().toList()).contains("prometheus", "lb", "webapp", "scaler", "loadgen");
        // The load generator starts only with `--profile load`.
        assertThat(config.output()).containsPattern("(?m)^  loadgen:\\n(    .*\\n)*    profiles:\\n    - load$");
    }

    @Test
    void prometheusConfigAndRulesAreValid() {
        RealParts.requireCommand("promtool");
        Result config = run(Map.of(), "promtool", "check", "config", "stack/prometheus/prometheus.yml");
        assertThat(config.exitCode()).as(config.output()).isZero();
        Result rules = run(Map.of(), "promtool", "check", "rules", "stack/prometheus/rules.yml");
        assertThat(rules.exitCode()).as(rules.output()).isZero();
    }

    @Test
    void haproxyConfigIsValid() {
        RealParts.requireCommand("haproxy");
        Result check = run(Map.of(), "haproxy", "-c", "-f", "stack/haproxy/haproxy.cfg");
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a command in the repository root (the tests' working directory), output and errors merged. */
    static Result run(Map<String, String> env, String... argv) {
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(argv)).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
