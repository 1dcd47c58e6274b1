package dev.scaler.policy;

import dev.scaler.target.MetricRules;
import dev.scaler.target.TargetProperties;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target's {@code metrics:} list in a policy file: checked for shape here (a list of maps of single
 * values), each field then checked by {@link MetricRules} through {@code Targets.from}, whose
 * {@code metrics[i].field} messages {@link #locate} puts on the line of that field.
 */
final class MetricsKey {

    static final String KEY = "metrics";
    private static final Pattern ENTRY = Pattern.compile("^\\[(\\d+)](?:\\.([a-z][a-z-]*))?:.*", Pattern.DOTALL);

    private MetricsKey() {
    }

    static TargetProperties read(TargetProperties before, Node value, PolicyReader.Problems problems) {
        if (!(value instanceof SequenceNode list)) {
            problems.at(value, KEY, "must be a list of metrics, each a map (name, query, capacity-per-replica or"
                    + " out-threshold, ...)");
            return before;
        }
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String at = KEY + "[" + i + "]";
            if (!(item instanceof MappingNode map)) {
                // MetricRules reports a missing entry; the index must stay that of the file
                metrics.add(null);
                continue;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            for (NodeTuple t : map.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode key)) {
                    problems.at(t.getKeyNode(), at, "a field name must be a single value");
                } else if (fields.containsKey(key.getValue())) {
                    problems.at(key, at + "." + key.getValue(), "given twice");
                } else {
                    // a list or map is kept as such: MetricRules says it must be a single value
                    fields.put(key.getValue(), t.getValueNode() instanceof ScalarNode v ? v.getValue()
                            : t.getValueNode() instanceof SequenceNode ? List.of() : Map.of());
                }
            }
            metrics.add(fields);
        }
        return before.withMetrics(metrics);
    }

    /** The node a {@code [i].field...} problem is about, or {@code fallback} when the path names none. */
    static Node locate(Node metrics, String rest, Node fallback) {
        Matcher m = ENTRY.matcher(rest);
        if (!(metrics instanceof SequenceNode list) || !m.matches()) {
            return fallback;
        }
        int i = Integer.parseInt(m.group(1));
        if (i >= list.getValue().size()) {
            return fallback;
        }
        if (!(list.getValue().get(i) instanceof MappingNode map)) {
            return list.getValue().get(i);
        }
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(m.group(2))) {
                return k;
            }
        }
        return map;
    }
}
