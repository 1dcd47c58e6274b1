package dev.scaler.execution;

import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment real processes get: a JVM started with Scaler's secrets in its environment runs a real
 * ansible-playbook through {@link AnsibleRunner}; while the playbook's module sleeps, the test reads
 * /proc/PID/environ of ansible-playbook and of every process below it, down to the module's {@code sleep}.
 */
@Tag("chaos")
class AnsibleEnvironmentProcessTest {

    private static final String SLEEP_PLAYBOOK = "src/test/resources/playbooks/sleep.yml";

    record Seen(Map<Long, String> commands, Map<Long, Map<String, String>> environments) {

        Map<String, String> of(String program) {
            return commands.entrySet().stream().filter(e -> e.getValue().equals(program)
                            || e.getValue().endsWith("/" + program)).map(e -> environments.get(e.getKey()))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + program + " process among " + commands));
        }
    }

    @Test
    void noSecretReachesAnsibleItsModulesOrWhatTheyStart() throws Exception {
        RealParts.requireCommand("ansible-playbook");
        String mark = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("SCALER_API_TOKEN", "api-token-" + mark);
        secrets.put("SCALER_PROMETHEUS_PASSWORD", "prom-password-" + mark);
        secrets.put("SCALER_DB_PASSWORD", "db-password-" + mark);
        secrets.put("SCALER_PROMETHEUS_BEARER_TOKEN", "bearer-" + mark);
        secrets.put("DATASOURCES_DEFAULT_PASSWORD", "datasource-" + mark);
        secrets.put("SOME_OTHER_SECRET", "other-" + mark);
        secrets.put("COMPOSE_PROJECT_NAME", "not-for-ansible-" + mark);

        Seen seen = runProbe(secrets, "");

        for (Map.Entry<Long, Map<String, String>> e : seen.environments().entrySet()) {
            String who = seen.commands().get(e.getKey()) + " (pid " + e.getKey() + ")";
            assertThat(e.getValue().keySet()).as(who).noneMatch(k -> k.startsWith("SCALER_"))
                    .doesNotContain("DATASOURCES_DEFAULT_PASSWORD", "SOME_OTHER_SECRET", "COMPOSE_PROJECT_NAME");
            assertThat(e.getValue().values()).as(who).noneMatch(v -> v.contains(mark));
        }
        Map<String, String> playbook = seen.of("ansible-playbook");
        assertThat(playbook).containsKeys("PATH", "HOME")
                .containsEntry("ANSIBLE_CONFIG", Path.of("ansible/ansible.cfg").toAbsolutePath().toString())
                .containsEntry("ANSIBLE_NOCOLOR", "1");
        assertThat(seen.of("sleep")).as("the module's own process").containsKeys("PATH", "HOME", "ANSIBLE_CONFIG");
    }

    @Test
    void aVariableTheOperatorNamesReachesTheModule() throws Exception {
        RealParts.requireCommand("ansible-playbook");
        String mark = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);

        Seen seen = runProbe(Map.of("SCALER_API_TOKEN", "api-token-" + mark, "HTTPS_PROXY", "http://proxy-" + mark,
                "NOT_NAMED", "not-named-" + mark), "HTTPS_PROXY");

        assertThat(seen.of("ansible-playbook")).containsEntry("HTTPS_PROXY", "http://proxy-" + mark)
                .doesNotContainKeys("SCALER_API_TOKEN", "NOT_NAMED");
        assertThat(seen.of("sleep")).containsEntry("HTTPS_PROXY", "http://proxy-" + mark)
                .doesNotContainKeys("SCALER_API_TOKEN", "NOT_NAMED");
    }

    /** Starts the probe JVM with {@code extra} in its environment and reads its descendants until it ends. */
    private static Seen runProbe(Map<String, String> extra, String pass) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, AnsibleEnvironmentProbe.class.getName(), SLEEP_PLAYBOOK, pass);
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().putAll(extra);
        Path log = Files.createTempFile("scaler-env-probe-", ".log");
        builder.redirectOutput(log.toFile());
        Process probe = builder.start();
        Map<Long, String> commands = new HashMap<>();
        Map<Long, Map<String, String>> environments = new HashMap<>();
        try {
            while (probe.isAlive()) {
                probe.toHandle().descendants().forEach(p -> {
                    String command = command(p.pid());
                    Map<String, String> env = environ(p.pid());
                    // Between fork and exec a child is a copy of the probe JVM (or the JDK's jspawnhelper,
                    // started with the JVM's own environment): it holds the probe's environment until it
                    // execs the program with the one AnsibleRunner built. Only what runs after exec counts;
                    // a later look at the same pid replaces an earlier one.
                    if (env != null && !isTheProbeJvmBeforeExec(command)) {
                        environments.put(p.pid(), env);
                        commands.put(p.pid(), command);
                    }
                });
                Thread.sleep(100);
            }
            assertThat(probe.waitFor(3, TimeUnit.MINUTES)).isTrue();
            String output = Files.readString(log);
            assertThat(probe.exitValue()).as(output).isZero();
            assertThat(commands.values()).as(output).anyMatch(c -> c.endsWith("sleep"));
            return new Seen(commands, environments);
        } finally {
            probe.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static boolean isTheProbeJvmBeforeExec(String command) {
        return command.isEmpty() || command.equals(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                || command.endsWith("/jspawnhelper");
    }

    /** The environment of a process, or null when it is gone or not readable. */
    private static Map<String, String> environ(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            Map<String, String> env = new HashMap<>();
            for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            return env.isEmpty() ? null : env;
        } catch (IOException e) {
            return null;
        }
    }

    /** The program a process runs: the first argument of its command line (python scripts: the script). */
    private static String command(long pid) {
        try {
            String[] args = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).split("\0");
            List<String> list = new ArrayList<>(List.of(args));
            if (!list.isEmpty() && list.get(0).contains("python") && list.size() > 1 && !list.get(1).startsWith("-")) {
                return list.get(1);
            }
            return list.isEmpty() ? "" : list.get(0);
        } catch (IOException e) {
            return "";
        }
    }
}
