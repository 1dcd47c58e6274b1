package dev.scaler.policy;

import dev.scaler.target.InvalidTargetException;
import dev.scaler.target.Target;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a policy file of many targets: {@code targets: {NAME: {keys}}}, or the {@code application.yml} shape
 * {@code scaler: targets: {NAME: {keys}}} (other keys of that file are ignored). The keys are those of
 * {@code scaler.targets.<name>.*} ({@link TargetFields#KEYS}), and values go through {@link Targets#from}, so
 * defaults and validation are the service's. Pure apart from {@link #read(Path, Path)}.
 *
 * <p>Every problem is collected, not only the first, each as {@code FILE:LINE: targets.NAME.FIELD: message};
 * a problem {@link Targets} reports by key is put on the line of that key.
 *
 * <p>Extension point: {@link #STRUCTURED} maps a key whose value is not a single value (a list of maps,
 * for example {@code metrics:}) to a {@link StructuredKey} that reads its raw node into the properties.
 */
public final class PolicyReader {

    /** Keys with a structured value and who reads them; a key absent here and from KEYS is unknown. */
    static final Map<String, StructuredKey> STRUCTURED = Map.of(MetricsKey.KEY, MetricsKey::read);

    private static final Pattern LINE = Pattern.compile(":(\\d+):");
    private static final Pattern FIELD = Pattern.compile("^([a-z][a-z-]*)(.*)$", Pattern.DOTALL);

    /** Reads the raw node of one structured key of one target. */
    @FunctionalInterface
    public interface StructuredKey {
        /**
         * @param before   the target's properties read so far
         * @param value    the key's value node (its marks give lines for {@link Problems#at})
         * @param problems where to report problems, each at a node
         * @return the properties with the key's value applied
         */
        TargetProperties read(TargetProperties before, Node value, Problems problems);
    }

    /** Collects problems of one target, each at the line of a node. */
    public static final class Problems {
        private final String source;
        private final String path;
        private final List<String> sink;

        Problems(String source, String path, List<String> sink) {
            this.source = source;
            this.path = path;
            this.sink = sink;
        }

        /** Adds {@code FILE:LINE: PATH.field: message}, the line being that of {@code node}. */
        public void at(Node node, String field, String message) {
            sink.add(source + ":" + line(node) + ": " + path + (field.isEmpty() ? "" : "." + field) + ": " + message);
        }
    }

    /**
     * What a file gives: the valid targets (empty when there is any error) and every error.
     *
     * @param names the target names the file defines, even when invalid (so a rejected reload can say which)
     */
    public record Result(String source, List<Target> targets, List<String> errors, List<String> names) {
        public Result {
            targets = List.copyOf(targets);
            errors = List.copyOf(errors);
            names = List.copyOf(names);
        }

        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private PolicyReader() {
    }

    /** Reads {@code file}; a missing or unreadable file is one error naming it. */
    public static Result read(Path file, Path defaultInventory) {
        String source = file.toString();
        try {
            return parse(source, Files.readString(file), defaultInventory);
        } catch (NoSuchFileException e) {
            return failed(source, source + ": does not exist");
        } catch (IOException e) {
            return failed(source, source + ": cannot be read: " + e.getMessage());
        }
    }

    /** Pure: the targets in {@code yaml}; {@code source} names it in every error. */
    public static Result parse(String source, String yaml, Path defaultInventory) {
        Node root;
        try (Reader reader = new StringReader(yaml)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            return failed(source, source + ":" + (e.getProblemMark().getLine() + 1) + ": not valid YAML: "
                    + e.getProblem());
        } catch (YAMLException | IOException e) {
            return failed(source, source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            return failed(source, source + ": empty; expected targets: NAME: {query: ..., compose-project: ...}");
        }
        if (!(root instanceof MappingNode top)) {
            return failed(source, source + ":" + line(root) + ": the file must be a map with the key targets");
        }
        List<String> errors = new ArrayList<>();
        Node targets;
        String path;
        Node scaler = child(top, "scaler");
        if (scaler != null) {
            // The application.yml shape: the rest of that file is the service's configuration, not ours.
            path = "scaler.targets";
            targets = scaler instanceof MappingNode m ? child(m, "targets") : null;
            if (targets == null) {
                return failed(source, source + ":" + line(scaler) + ": scaler has no targets; expected scaler: targets:"
                        + " NAME: {...}");
            }
        } else {
            path = "targets";
            targets = child(top, "targets");
            for (NodeTuple t : top.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
                if (!key.equals("targets")) {
                    errors.add(source + ":" + line(t.getKeyNode()) + ": " + key + ": unknown top-level key; expected"
                            + " targets (or the application.yml shape scaler: targets:)");
                }
            }
            if (targets == null) {
                errors.add(source + ":" + line(top) + ": targets: is required (targets: NAME: {...})");
                return new Result(source, List.of(), errors, List.of());
            }
        }
        List<Target> valid = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (targets instanceof MappingNode map) {
            Set<String> seen = new HashSet<>();
            for (NodeTuple t : map.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode nameNode)) {
                    errors.add(source + ":" + line(t.getKeyNode()) + ": " + path + ": a target name must be a single"
                            + " value");
                    continue;
                }
                String name = nameNode.getValue();
                names.add(name);
                if (!seen.add(name)) {
                    errors.add(source + ":" + line(nameNode) + ": " + path + "." + name + ": defined twice");
                    continue;
                }
                Target target = target(source, path + "." + name, name, nameNode, t.getValueNode(), defaultInventory,
                        errors);
                if (target != null) {
                    valid.add(target);
                }
            }
        } else if (!(targets instanceof ScalarNode s && s.getValue().isEmpty())) {
            errors.add(source + ":" + line(targets) + ": " + path + ": must be a map of target names to their keys");
        }
        // In file order, as an editor shows them; a target's checked values come after its key errors otherwise.
        errors.sort(Comparator.comparingInt(e -> lineOf(source, e)));
        return new Result(source, errors.isEmpty() ? valid : List.of(), errors, names);
    }

    private static int lineOf(String source, String error) {
        Matcher m = LINE.matcher(error.substring(source.length()));
        return m.lookingAt() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static Target target(String source, String path, String name, Node nameNode, Node value,
                                 Path defaultInventory, List<String> errors) {
        Problems problems = new Problems(source, path, errors);
        if (!(value instanceof MappingNode keys)) {
            problems.at(value, "", "must be a map of target keys (query, compose-project, max-replicas, ...)");
            return null;
        }
        int before = errors.size();
        Map<String, String> values = new HashMap<>();
        Map<String, Node> lines = new HashMap<>();
        Map<String, Node> structured = new HashMap<>();
        List<String> composeFiles = null;
        for (NodeTuple t : keys.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
                problems.at(t.getKeyNode(), "", "a field name must be a single value");
                continue;
            }
            String key = keyNode.getValue();
            if (lines.put(key, keyNode) != null) {
                problems.at(keyNode, key, "given twice");
                continue;
            }
            Node v = t.getValueNode();
            if (STRUCTURED.containsKey(key)) {
                structured.put(key, v);
            } else if (!TargetFields.KEYS.contains(key)) {
                problems.at(keyNode, key, "unknown field; known fields: "
                        + String.join(", ", known()));
            } else if (key.equals(TargetFields.COMPOSE_FILES)) {
                composeFiles = new ArrayList<>();
                if (v instanceof SequenceNode list) {
                    for (Node item : list.getValue()) {
                        if (item instanceof ScalarNode s) {
                            composeFiles.add(s.getValue());
                        } else {
                            problems.at(item, key, "each entry must be a single value (a file path)");
                        }
                    }
                } else if (v instanceof ScalarNode s) {
                    composeFiles.add(s.getValue());
                } else {
                    problems.at(v, key, "must be a list of file paths");
                }
            } else if (v instanceof ScalarNode s) {
                values.put(key, s.getValue());
            } else {
                problems.at(v, key, "must be a single value, got a " + (v instanceof SequenceNode ? "list" : "map"));
            }
        }
        TargetProperties properties = TargetFields.properties(name, values, composeFiles);
        for (Map.Entry<String, Node> s : structured.entrySet()) {
            properties = STRUCTURED.get(s.getKey()).read(properties, s.getValue(), problems);
        }
        try {
            Target target = Targets.from(properties, defaultInventory);
            return errors.size() > before ? null : target;
        } catch (InvalidTargetException e) {
            String prefix = "scaler.targets." + name;
            for (String problem : e.problems()) {
                errors.add(located(source, path, prefix, problem, nameNode, lines, structured));
            }
            return null;
        }
    }

    /** A problem {@link Targets} names by {@code scaler.targets.NAME.key}, on the line of that key in the file. */
    private static String located(String source, String path, String prefix, String problem, Node nameNode,
                                  Map<String, Node> lines, Map<String, Node> structured) {
        if (problem.startsWith(prefix + ".")) {
            String rest = problem.substring(prefix.length() + 1);
            Matcher m = FIELD.matcher(rest);
            Node at = m.matches() ? lines.getOrDefault(m.group(1), nameNode) : nameNode;
            if (m.matches() && structured.containsKey(m.group(1))) {
                at = MetricsKey.locate(structured.get(m.group(1)), m.group(2), at);
            }
            return source + ":" + line(at) + ": " + path + "." + rest;
        }
        if (problem.startsWith("scaler.targets.<name>")) {
            return source + ":" + line(nameNode) + ": " + path + problem.substring("scaler.targets.<name>".length());
        }
        return source + ":" + line(nameNode) + ": " + path + ": " + problem;
    }

    private static Set<String> known() {
        Set<String> all = new TreeSet<>(TargetFields.KEYS);
        all.addAll(STRUCTURED.keySet());
        return all;
    }

    private static Result failed(String source, String error) {
        return new Result(source, List.of(), List.of(error), List.of());
    }

    private static Node child(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
