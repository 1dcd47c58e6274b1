package dev.scaler.backtest;

import dev.scaler.forecast.ForecastSettings;
import dev.scaler.forecast.InvalidForecastSettingsException;
import dev.scaler.policy.TargetFields;
import dev.scaler.target.InvalidTargetException;
import dev.scaler.target.TargetProperties;
import dev.scaler.target.Targets;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads policies in the service's own target format, so what is backtested is what would run.
 * Two shapes: the {@code application.yml} shape ({@code scaler: targets: NAME: {keys}}, one policy per
 * target; other keys of the file are ignored) or a flat map of target keys, named after the file.
 * Values go through {@link Targets#from}, so validation and defaults are the service's. An unknown
 * field is an error naming the file, its line and the field: a typo must not silently become a default.
 */
public final class PolicyFile {

    /** The keys of {@code scaler.targets.<name>.*}, as README's table lists them. */
    static final Set<String> TARGET_KEYS = TargetFields.KEYS;
    /** The forecast's keys ({@code predictive*}), docs/forecast.md. */
    static final Set<String> FORECAST_KEYS = ForecastSettings.KEYS.keySet();

    /** A backtest reads no live metric and scales no compose project; the validator still wants both. */
    private static final String PLACEHOLDER = "backtest";

    private PolicyFile() {
    }

    public static List<NamedPolicy> read(Path file) {
        try {
            return parse(file.toString(), defaultName(file), Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new BacktestInputException("--policy: " + file + " does not exist");
        } catch (IOException e) {
            throw new BacktestInputException("--policy: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Pure: the policies in {@code yaml}; {@code source} names it in messages. */
    static List<NamedPolicy> parse(String source, String defaultName, String yaml) {
        Node root;
        try (Reader reader = new StringReader(yaml)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            throw new BacktestInputException(source + ":" + (e.getProblemMark().getLine() + 1) + ": not valid YAML: "
                    + e.getProblem());
        } catch (YAMLException | IOException e) {
            throw new BacktestInputException(source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new BacktestInputException(source + ": empty; expected target keys such as max-replicas, or"
                    + " scaler: targets: NAME: {...}");
        }
        MappingNode top = mapping(source, root, "the file");
        Node scaler = child(top, "scaler");
        List<NamedPolicy> policies = new ArrayList<>();
        if (scaler != null) {
            Node targets = child(mapping(source, scaler, "scaler"), "targets");
            if (targets == null) {
                throw new BacktestInputException(source + ":" + line(scaler) + ": scaler has no targets; expected"
                        + " scaler: targets: NAME: {...}");
            }
            for (NodeTuple t : mapping(source, targets, "scaler.targets").getValue()) {
                String name = scalar(source, t.getKeyNode(), "a target name");
                policies.add(policy(source, name, mapping(source, t.getValueNode(), "scaler.targets." + name)));
            }
            if (policies.isEmpty()) {
                throw new BacktestInputException(source + ":" + line(targets) + ": scaler.targets is empty");
            }
        } else {
            policies.add(policy(source, defaultName, top));
        }
        return policies;
    }

    private static NamedPolicy policy(String source, String name, MappingNode keys) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> forecast = new HashMap<>();
        List<String> composeFiles = null;
        for (NodeTuple t : keys.getValue()) {
            String key = scalar(source, t.getKeyNode(), "a field name");
            if (FORECAST_KEYS.contains(key)) {
                forecast.put(key, scalar(source, t.getValueNode(), "the value of " + key));
                continue;
            }
            if (!TARGET_KEYS.contains(key)) {
                Set<String> known = new TreeSet<>(TARGET_KEYS);
                known.addAll(FORECAST_KEYS);
                throw new BacktestInputException(source + ":" + line(t.getKeyNode()) + ": unknown field '" + key
                        + "' in policy " + name + "; known fields: " + String.join(", ", known));
            }
            if (key.equals("compose-files")) {
                composeFiles = new ArrayList<>();
                if (!(t.getValueNode() instanceof SequenceNode list)) {
                    throw new BacktestInputException(source + ":" + line(t.getValueNode()) + ": compose-files must be a"
                            + " list");
                }
                for (Node item : list.getValue()) {
                    composeFiles.add(scalar(source, item, "a compose file"));
                }
            } else {
                values.put(key, scalar(source, t.getValueNode(), "the value of " + key));
            }
        }
        values.putIfAbsent("query", PLACEHOLDER);
        if (!values.containsKey("fleet-group") && !values.containsKey("swarm-service")) {
            values.putIfAbsent("compose-project", PLACEHOLDER);
        }
        TargetProperties p = TargetFields.properties(name, values, composeFiles);
        ForecastSettings forecastSettings;
        try {
            forecastSettings = ForecastSettings.parse(forecast);
        } catch (InvalidForecastSettingsException e) {
            throw new BacktestInputException(source + ": policy " + name + " is invalid:\n  "
                    + String.join("\n  ", e.problems()));
        }
        try {
            return new NamedPolicy(name, Targets.from(p).policy(), forecastSettings);
        } catch (InvalidTargetException e) {
            throw new BacktestInputException(source + ": policy " + name + " is invalid:\n  "
                    + String.join("\n  ", e.problems()));
        }
    }

    private static MappingNode mapping(String source, Node node, String what) {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw new BacktestInputException(source + ":" + line(node) + ": " + what + " must be a map of keys");
    }

    private static String scalar(String source, Node node, String what) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        throw new BacktestInputException(source + ":" + line(node) + ": " + what + " must be a single value");
    }

    private static Node child(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static String defaultName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
