package dev.scaler.execution;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How Scaler runs Ansible ({@code scaler.execution.*}). Relative paths resolve against the working
 * directory Scaler was started in (normally the repository root). Read and checked by
 * {@code dev.scaler.config.Configurations}; the defaults are the constants here.
 *
 * @param ansiblePlaybook  the ansible-playbook binary, looked up on PATH unless absolute
 * @param timeout          a run taking longer is killed, with everything it started
 * @param shutdownGrace    how long a playbook in flight may finish when Scaler shuts down
 * @param lockDir          directory of the per-service lock files, so two runs never scale one service
 * @param passEnvironment  names of environment variables passed on to ansible-playbook
 */
public record ExecutionConfiguration(
        String ansiblePlaybook,
        Path playbook,
        Path inventory,
        Path ansibleConfig,
        Duration timeout,
        Duration shutdownGrace,
        Path lockDir,
        List<String> passEnvironment) {

    /** The inventory runs use when none is configured; a fleet target without its own inventory too. */
    public static final String DEFAULT_INVENTORY = "inventories/local/hosts.yml";
    public static final String DEFAULT_ANSIBLE_PLAYBOOK = "ansible-playbook";
    public static final Path DEFAULT_PLAYBOOK = Path.of("ansible/scale.yml");
    public static final Path DEFAULT_ANSIBLE_CONFIG = Path.of("ansible/ansible.cfg");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(8);
    public static final Path DEFAULT_LOCK_DIR = Path.of("data/locks");

    public ExecutionConfiguration {
        if (ansiblePlaybook == null || ansiblePlaybook.isBlank()) {
            throw new IllegalArgumentException("scaler.execution.ansible-playbook: must not be empty");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("scaler.execution.timeout: must be more than 0, got " + timeout);
        }
        if (shutdownGrace == null || shutdownGrace.isNegative() || shutdownGrace.isZero()) {
            throw new IllegalArgumentException("scaler.execution.shutdown-grace: must be more than 0, got "
                    + shutdownGrace);
        }
        playbook = playbook == null ? DEFAULT_PLAYBOOK : playbook;
        inventory = inventory == null ? Path.of(DEFAULT_INVENTORY) : inventory;
        ansibleConfig = ansibleConfig == null ? DEFAULT_ANSIBLE_CONFIG : ansibleConfig;
        lockDir = lockDir == null ? DEFAULT_LOCK_DIR : lockDir;
        passEnvironment = passEnvironment == null ? List.of() : List.copyOf(passEnvironment);
    }

    /** The first five keys; the others take their defaults. */
    public ExecutionConfiguration(String ansiblePlaybook, Path playbook, Path inventory, Path ansibleConfig,
                                  Duration timeout) {
        this(ansiblePlaybook, playbook, inventory, ansibleConfig, timeout, DEFAULT_SHUTDOWN_GRACE, DEFAULT_LOCK_DIR,
                List.of());
    }

    /** The first five keys and the operator's pass-environment; the others take their defaults. */
    public ExecutionConfiguration(String ansiblePlaybook, Path playbook, Path inventory, Path ansibleConfig,
                                  Duration timeout, List<String> passEnvironment) {
        this(ansiblePlaybook, playbook, inventory, ansibleConfig, timeout, DEFAULT_SHUTDOWN_GRACE, DEFAULT_LOCK_DIR,
                passEnvironment);
    }

    public static ExecutionConfiguration defaults() {
        return new ExecutionConfiguration(DEFAULT_ANSIBLE_PLAYBOOK, DEFAULT_PLAYBOOK, Path.of(DEFAULT_INVENTORY),
                DEFAULT_ANSIBLE_CONFIG, DEFAULT_TIMEOUT);
    }
}
