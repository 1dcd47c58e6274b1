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
 */
public record PlaybookRun(Path playbook, Path inventory, Map<String, Object> variables, Duration timeout,
                          boolean check) {
    public PlaybookRun {
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
