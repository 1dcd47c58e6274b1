package dev.scaler.execution;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One ansible-playbook invocation.
 *
 * @param variables extra variables; strings reach Ansible as literal text (never templated)
 * @param check     run with --check: report what would change, change nothing
 * @param forks     hosts worked on in parallel ({@code --forks}); 0 leaves Ansible's own setting
 * @param lock      the service whose lock file the run holds from start to end (see {@link AnsibleRunner}); null
 *                  for runs that change nothing (reports, check mode)
 */
public record PlaybookRun(Path playbook, Path inventory, Map<String, Object> variables, Duration timeout,
                          boolean check, int forks, ServiceKey lock) {

    public PlaybookRun(Path playbook, Path inventory, Map<String, Object> variables, Duration timeout, boolean check) {
        this(playbook, inventory, variables, timeout, check, 0, null);
    }

    public PlaybookRun(Path playbook, Path inventory, Map<String, Object> variables, Duration timeout, boolean check,
                       int forks) {
        this(playbook, inventory, variables, timeout, check, forks, null);
    }

    /** The same run, holding {@code key}'s lock while it runs. */
    public PlaybookRun locking(ServiceKey key) {
        return new PlaybookRun(playbook, inventory, variables, timeout, check, forks, key);
    }

    public PlaybookRun {
        if (forks < 0) {
            throw new IllegalArgumentException("forks must be >= 0, got " + forks);
        }
        Objects.requireNonNull(playbook, "playbook");
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        // LinkedHashMap keeps the caller's order in the vars file, which makes it easy to read in a debugger.
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(variables, "variables")));
    }
}
