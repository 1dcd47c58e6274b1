package dev.scaler.fleet;

import dev.scaler.execution.AnsibleRunner;
import dev.scaler.execution.ExecutionConfiguration;
import jakarta.inject.Singleton;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hosts of an inventory group with their capacity variables, as Ansible itself reads the inventory
 * ({@code ansible-inventory --list}), so every inventory form Ansible accepts works here too.
 */
@Singleton
public class FleetInventory {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String ansibleInventory;
    private final Map<String, String> environment;

    public FleetInventory(ExecutionConfiguration configuration) {
        // ansible-inventory sits beside ansible-playbook.
        String playbook = configuration.ansiblePlaybook();
        this.ansibleInventory = playbook.endsWith("ansible-playbook")
                ? playbook.substring(0, playbook.length() - "ansible-playbook".length()) + "ansible-inventory"
                : "ansible-inventory";
        this.environment = AnsibleRunner.environment(configuration.ansibleConfig(), configuration.passEnvironment());
    }

    /** The group's hosts in inventory order, or {@link FleetException} saying what is wrong. */
    public List<FleetHost> hosts(Path inventory, String group) {
        CommandLine command = new CommandLine(ansibleInventory);
        command.addArgument("-i", false);
        command.addArgument(inventory.toAbsolutePath().toString(), false);
        command.addArgument("--list", false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DefaultExecutor executor = DefaultExecutor.builder().setExecuteStreamHandler(new PumpStreamHandler(out, err)).get();
        executor.setWatchdog(ExecuteWatchdog.builder().setTimeout(TIMEOUT).get());
        executor.setExitValues(null);
        int exit;
        try {
            exit = executor.execute(command, new HashMap<>(environment));
        } catch (IOException e) {
            throw new FleetException("inventory " + inventory + ": ansible-inventory failed to run: " + e.getMessage(), e);
        }
        if (exit != 0) {
            throw new FleetException("inventory " + inventory + ": ansible-inventory exited " + exit + ": "
                    + err.toString(StandardCharsets.UTF_8).strip());
        }
        return hostsOf(group, out.toString(StandardCharsets.UTF_8), inventory.toString());
    }

    /** Parses {@code ansible-inventory --list} output. Pure. */
    @SuppressWarnings("unchecked")
    static List<FleetHost> hostsOf(String group, String listJson, String inventoryName) {
        Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(listJson);
        if (!(parsed instanceof Map<?, ?> root)) {
            throw new FleetException("inventory " + inventoryName + ": ansible-inventory --list did not print a JSON object");
        }
        if (!(root.get(group) instanceof Map<?, ?>)) {
            throw new FleetException("inventory " + inventoryName + ": no group '" + group + "'");
        }
        Set<String> names = new LinkedHashSet<>();
        collect((Map<String, Object>) root, group, names, new LinkedHashSet<>());
        if (names.isEmpty()) {
            throw new FleetException("inventory " + inventoryName + ": group '" + group + "' has no hosts");
        }
        Map<String, Object> meta = root.get("_meta") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> hostvars = meta.get("hostvars") instanceof Map<?, ?> h ? (Map<String, Object>) h : Map.of();
        List<FleetHost> hosts = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> vars = hostvars.get(name) instanceof Map<?, ?> v ? (Map<String, Object>) v : Map.of();
            hosts.add(new FleetHost(name, weight(name, vars.get("scaler_weight")), cap(name, vars.get("scaler_max_replicas"))));
        }
        return hosts;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Map<String, Object> root, String group, Set<String> names, Set<String> seen) {
        if (!seen.add(group) || !(root.get(group) instanceof Map<?, ?> g)) {
            return;
        }
        if (g.get("hosts") instanceof List<?> hosts) {
            hosts.forEach(h -> names.add(String.valueOf(h)));
        }
        if (g.get("children") instanceof List<?> children) {
            children.forEach(c -> collect(root, String.valueOf(c), names, seen));
        }
    }

    private static double weight(String host, Object value) {
        if (value == null) {
            return 1;
        }
        try {
            return Double.parseDouble(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new FleetException("host " + host + ": scaler_weight '" + value + "' is not a number");
        }
    }

    private static Integer cap(String host, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new FleetException("host " + host + ": scaler_max_replicas '" + value + "' is not a whole number");
        }
    }
}
