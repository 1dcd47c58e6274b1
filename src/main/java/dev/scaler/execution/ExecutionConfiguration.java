package dev.scaler.execution;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How Scaler runs Ansible ({@code scaler.execution.*}). Relative paths resolve against the working
 * directory Scaler was started in (normally the repository root).
 *
 * @param ansiblePlaybook the ansible-playbook binary, looked up on PATH unless absolute
 * @param timeout         a run taking longer is killed, with everything it started
 * @param passEnvironment variables of Scaler's environment Ansible gets besides the fixed allowlist
 *                        (names, or prefixes ending in *), see {@link AnsibleEnvironment}
 */
@ConfigurationProperties("scaler.execution")
public record ExecutionConfiguration(
        @NotBlank @Bindable(defaultValue = "ansible-playbook") String ansiblePlaybook,
        @NotNull @Bindable(defaultValue = "ansible/scale.yml") Path playbook,
        @NotNull @Bindable(defaultValue = ExecutionConfiguration.DEFAULT_INVENTORY) Path inventory,
        @NotNull @Bindable(defaultValue = "ansible/ansible.cfg") Path ansibleConfig,
        @NotNull @Bindable(defaultValue = "5m") Duration timeout,
        @NotNull @Bindable(defaultValue = "8s") Duration shutdownGrace,
        @NotNull @Bindable(defaultValue = ExecutionConfiguration.DEFAULT_LOCK_DIR) Path lockDir,
        @Nullable List<String> passEnvironment) {

    /** The inventory runs use when none is configured; a fleet target without its own inventory too. */
    public static final String DEFAULT_INVENTORY = "inventories/local/hosts.yml";
    /** Where the per-service lock files live, beside the default H2 history file. */
    public static final String DEFAULT_LOCK_DIR = "data/locks";
    /** A little under Docker's and compose's default stop timeout of 10 s, so Scaler is not killed first. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(8);

    public ExecutionConfiguration(String ansiblePlaybook, Path playbook, Path inventory, Path ansibleConfig,
                                  Duration timeout) {
        this(ansiblePlaybook, playbook, inventory, ansibleConfig, timeout, List.of());
    }

    public ExecutionConfiguration(String ansiblePlaybook, Path playbook, Path inventory, Path ansibleConfig,
                                  Duration timeout, List<String> passEnvironment) {
        this(ansiblePlaybook, playbook, inventory, ansibleConfig, timeout, DEFAULT_SHUTDOWN_GRACE,
                Path.of(DEFAULT_LOCK_DIR), passEnvironment);
    }

    public ExecutionConfiguration {
        passEnvironment = passEnvironment == null ? List.of() : List.copyOf(passEnvironment);
        // Bean validation has no "positive Duration" constraint; fail startup naming the key instead.
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("scaler.execution.timeout must be positive, got " + timeout);
        }
    }
}
