package dev.scaler.execution;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs one playbook through {@link AnsibleRunner} as Scaler would, in a JVM of its own, so a test can start
 * it with an environment holding secrets (a JVM cannot change its own). Arguments: the playbook, then the
 * pass-environment names (comma separated, may be empty). Prints the outcome and exits 0 when it succeeded.
 */
public final class AnsibleEnvironmentProbe {

    private AnsibleEnvironmentProbe() {
    }

    public static void main(String[] args) {
        List<String> pass = args.length < 2 || args[1].isBlank() ? List.of() : Arrays.asList(args[1].split(","));
        AnsibleRunner runner = new AnsibleRunner("ansible-playbook", Path.of("ansible/ansible.cfg"), pass);
        PlaybookResult result = runner.run("probe", new PlaybookRun(Path.of(args[0]),
                Path.of("inventories/local/hosts.yml"), Map.of(), Duration.ofMinutes(2), false));
        System.out.println("outcome=" + result.outcome());
        System.out.println(result.outputTail());
        System.exit(result.outcome() == ActionOutcome.SUCCEEDED ? 0 : 1);
    }
}
