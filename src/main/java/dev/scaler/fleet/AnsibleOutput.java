package dev.scaler.fleet;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the fleet playbooks print with Ansible's default callback: the one-line JSON results of the
 * roles ({@code "msg": "{\"scaler_report\": ...}"}), the {@code fatal: [host]} lines and the PLAY RECAP.
 * Pure: it parses lines, it runs nothing.
 */
public final class AnsibleOutput {

    private static final Pattern RECAP = Pattern.compile(
            "^(\\S+)\\s+:\\s+ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+).*$");
    private static final Pattern FATAL = Pattern.compile("^fatal: \\[([^\\]]+)\\]: (.*)$");
    private static final String MSG = "\"msg\": ";

    private final Map<String, Map<String, Object>> results = new LinkedHashMap<>();
    private final Map<String, Recap> recap = new LinkedHashMap<>();
    private final Map<String, String> fatal = new LinkedHashMap<>();
    private final String resultKey;

    /** @param resultKey {@code scaler_report} or {@code scaler_result} */
    public AnsibleOutput(String resultKey) {
        this.resultKey = resultKey;
    }

    /** Feeds one line of output; safe to call from the two output pumps. */
    public synchronized void line(String line) {
        String trimmed = line.strip();
        Matcher m = RECAP.matcher(trimmed);
        if (m.matches()) {
            recap.put(m.group(1), new Recap(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))));
            return;
        }
        Matcher f = FATAL.matcher(trimmed);
        if (f.matches()) {
            fatal.putIfAbsent(f.group(1), f.group(2));
            return;
        }
        if (trimmed.startsWith(MSG + "\"{\\\"" + resultKey + "\\\"")) {
            Map<String, Object> result = parseResult(trimmed.substring(MSG.length()));
            if (result != null && result.get("host") instanceof String host) {
                results.put(host, result);
            }
        }
    }

    /** The role's result for each host that printed one. */
    public synchronized Map<String, Map<String, Object>> results() {
        return Map.copyOf(results);
    }

    /** The PLAY RECAP line of each host. */
    public synchronized Map<String, Recap> recap() {
        return Map.copyOf(recap);
    }

    /** The first fatal message of a host, or empty. */
    public synchronized String fatal(String host) {
        return fatal.getOrDefault(host, "");
    }

    /** Parses a whole output at once. */
    public static AnsibleOutput of(String resultKey, String text) {
        AnsibleOutput output = new AnsibleOutput(resultKey);
        text.lines().forEach(output::line);
        return output;
    }

    /** The msg value is a JSON string holding JSON: unquote it, then read it. JSON is YAML, so snakeyaml does both. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> parseResult(String quoted) {
        try {
            Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
            Object text = yaml.load(quoted);
            if (!(text instanceof String s)) {
                return null;
            }
            Object parsed = yaml.load(s);
            if (parsed instanceof Map<?, ?> outer && outer.get(resultKey) instanceof Map<?, ?> inner) {
                return new LinkedHashMap<>((Map<String, Object>) inner);
            }
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A host's counts from PLAY RECAP. */
    public record Recap(int ok, int changed, int unreachable, int failed) {
        public boolean succeeded() {
            return unreachable == 0 && failed == 0;
        }
    }

}
