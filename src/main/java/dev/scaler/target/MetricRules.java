package dev.scaler.target;

import dev.scaler.decision.MetricRule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a target's {@code metrics:} list, as YAML or Micronaut loads it (a list of maps of strings, numbers
 * and booleans), into validated {@link MetricRule}s. Pure; every problem is reported, each as
 * {@code <prefix>metrics[i].<field>: <message>} with the value given.
 *
 * <p>An entry with any band field ({@code out-threshold}, {@code in-threshold}, ...) is a threshold-band
 * metric; otherwise it is a target-tracking metric.
 */
public final class MetricRules {

    static final Set<String> TRACKING_KEYS = Set.of("name", "query", "capacity-per-replica", "tolerance");
    static final Set<String> BAND_KEYS = Set.of("out-threshold", "out-duration", "in-threshold", "in-duration",
            "step-out", "step-in", "resolution");
    static final int DEFAULT_STEP = 1;
    /** A metric of Scaler's own container series (docs/container-metrics.md): the query is written for it. */
    static final String CONTAINER_KEY = "container";
    /** What {@code container:} may name, and the series each reads. */
    static final Map<String, String> CONTAINER_SERIES = Map.of(
            "cpu", "scaler_container_cpu_ratio",
            "memory", "scaler_container_memory_ratio");

    /** The rules, or the problems; never both empty unless the list was. */
    public record Parsed(List<MetricRule> rules, List<String> problems) {
        public Parsed {
            rules = List.copyOf(rules);
            problems = List.copyOf(problems);
        }
    }

    private MetricRules() {
    }

    /**
     * @param raw         the list under {@code metrics:}; null or empty gives no rules
     * @param prefix      what goes before {@code metrics[i]} in messages, e.g. {@code scaler.targets.web.}
     * @param takenNames  names already used by the target (the {@code query} shorthand is named "query")
     */
    public static Parsed from(List<? extends Map<String, ?>> raw, String prefix, Set<String> takenNames) {
        return from(raw, prefix, takenNames, null);
    }

    /**
     * @param target the target's name, which a {@code container} metric's query selects its series by; null
     *               refuses such metrics
     */
    public static Parsed from(List<? extends Map<String, ?>> raw, String prefix, Set<String> takenNames,
                              String target) {
        List<MetricRule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (raw == null) {
            return new Parsed(rules, problems);
        }
        Set<String> names = new HashSet<>(takenNames);
        for (int i = 0; i < raw.size(); i++) {
            if (raw.get(i) == null) {
                problems.add(prefix + "metrics[" + i + "]: must be a map (name, query, ...)");
                continue;
            }
            Entry e = new Entry(prefix + "metrics[" + i + "].", raw.get(i), problems, target);
            MetricRule rule = e.rule();
            if (rule != null && !names.add(rule.name())) {
                e.problem("name", "'" + rule.name() + "' is used by another metric of this target");
            } else if (rule != null) {
                rules.add(rule);
            }
        }
        return new Parsed(rules, problems);
    }

    /** One list entry, collecting its problems. */
    private static final class Entry {
        final String key;
        final Map<String, ?> values;
        final List<String> problems;
        final int before;
        final String target;

        /** Fields already reported as not a single value: nothing more is said about them. */
        final Set<String> malformed = new HashSet<>();

        Entry(String key, Map<String, ?> values, List<String> problems, String target) {
            this.key = key;
            this.target = target;
            this.problems = problems;
            this.before = problems.size();
            Map<String, Object> singles = new LinkedHashMap<>();
            if (values != null) {
                values.forEach((k, v) -> {
                    if (v instanceof Collection<?> || v instanceof Map<?, ?>) {
                        problem(k, "must be a single value, got a " + (v instanceof Map<?, ?> ? "map" : "list"));
                        malformed.add(k);
                    } else {
                        singles.put(k, v);
                    }
                });
            }
            this.values = singles;
        }

        void problem(String field, String message) {
            if (!malformed.contains(field)) {
                problems.add(key + field + ": " + message);
            }
        }

        MetricRule rule() {
            Set<String> known = new LinkedHashSet<>(TRACKING_KEYS);
            known.addAll(BAND_KEYS);
            known.add(CONTAINER_KEY);
            for (String k : values.keySet()) {
                if (!known.contains(k)) {
                    problem(k, "unknown field; known fields: " + String.join(", ", new TreeSet<>(known)));
                }
            }
            String name = text("name");
            String query = text("query");
            if (name == null) {
                problem("name", "is required (names the metric in reasons and history)");
            }
            boolean bands = values.keySet().stream().anyMatch(BAND_KEYS::contains);
            String container = text(CONTAINER_KEY);
            if (container != null) {
                query = containerQuery(container, query, bands);
            } else if (query == null) {
                problem("query", "is required (PromQL returning one series)");
            }
            MetricRule rule = bands ? bands(name, query) : tracking(name, query);
            return problems.size() > before ? null : rule;
        }

        /**
         * The query of a {@code container} metric over Scaler's own series of the target's containers. Tracking
         * sums them, so that {@code capacity-per-replica} is the ratio each replica should carry (0.7: desired =
         * ceil(sum / 0.7), as Kubernetes' HPA with a 70 % utilization target); bands judge their average. A
         * container with no figure yet has no series, so it is left out rather than counted as idle, and no
         * series at all is an empty answer, judged as every other missing metric.
         */
        private String containerQuery(String container, String query, boolean bands) {
            String series = CONTAINER_SERIES.get(container.toLowerCase(java.util.Locale.ROOT));
            if (series == null) {
                problem(CONTAINER_KEY, "'" + container + "' is not a container metric (use "
                        + String.join(" or ", new TreeSet<>(CONTAINER_SERIES.keySet())) + ")");
                return null;
            }
            if (query != null) {
                problem(CONTAINER_KEY, "a container metric writes its own query; remove query, or container");
                return null;
            }
            if (target == null) {
                problem(CONTAINER_KEY, "needs the target's name");
                return null;
            }
            if (!bands && !values.containsKey("capacity-per-replica")) {
                problem("capacity-per-replica", "is required for a container metric that tracks a target"
                        + " (the ratio each replica should carry, like 0.7)");
            }
            String label = target.replace("\\", "\\\\").replace("\"", "\\\"");
            return (bands ? "avg" : "sum") + "(" + series + "{target=\"" + label + "\"})";
        }

        private MetricRule tracking(String name, String query) {
            Double capacity = number("capacity-per-replica");
            Double tolerance = number("tolerance");
            if (problems.size() > before) {
                return null;
            }
            return attempt(() -> new MetricRule.Tracking(name, query, capacity, tolerance));
        }

        private MetricRule bands(String name, String query) {
            for (String k : List.of("capacity-per-replica", "tolerance")) {
                if (values.containsKey(k)) {
                    problem(k, "is for a tracking metric; this one has threshold bands (out-threshold, in-threshold)");
                }
            }
            Double out = required("out-threshold", number("out-threshold"));
            Double in = required("in-threshold", number("in-threshold"));
            Duration outFor = required("out-duration", duration("out-duration"));
            Duration inFor = required("in-duration", duration("in-duration"));
            MetricRule.Step stepOut = step("step-out");
            MetricRule.Step stepIn = step("step-in");
            Duration resolution = duration("resolution");
            if (problems.size() > before) {
                return null;
            }
            return attempt(() -> new MetricRule.Bands(name, query, out, outFor, in, inFor, stepOut, stepIn,
                    resolution == null ? MetricRule.Bands.DEFAULT_RESOLUTION : resolution));
        }

        private <T> T required(String field, T value) {
            if (value == null && !values.containsKey(field)) {
                problem(field, "is required for a threshold-band metric");
            }
            return value;
        }

        private String text(String field) {
            Object v = values.get(field);
            if (v == null || v.toString().isBlank()) {
                return null;
            }
            return v.toString().trim();
        }

        private Double number(String field) {
            Object v = values.get(field);
            if (v == null) {
                return null;
            }
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            try {
                return Double.parseDouble(v.toString().trim());
            } catch (NumberFormatException e) {
                problem(field, "'" + v + "' is not a number");
                return null;
            }
        }

        private Duration duration(String field) {
            Object v = values.get(field);
            if (v == null) {
                return null;
            }
            try {
                Duration d = Targets.parseDuration(v.toString());
                if (d.isNegative()) {
                    problem(field, "must be >= 0, got '" + v + "'");
                    return null;
                }
                return d;
            } catch (RuntimeException e) {
                problem(field, "'" + v + "' is not a duration (use 250ms, 15s, 5m, 1h, 1d or ISO-8601 like PT15S)");
                return null;
            }
        }

        /** A whole number of replicas ({@code 2}) or a percentage of the running replicas ({@code 50%}). */
        private MetricRule.Step step(String field) {
            Object v = values.get(field);
            if (v == null) {
                return MetricRule.Step.replicas(DEFAULT_STEP);
            }
            String t = v.toString().trim();
            boolean percent = t.endsWith("%");
            try {
                int n = Integer.parseInt(percent ? t.substring(0, t.length() - 1).trim() : t);
                if (n < 1) {
                    problem(field, "must be at least 1, got '" + v + "'");
                    return null;
                }
                return percent ? MetricRule.Step.percent(n) : MetricRule.Step.replicas(n);
            } catch (NumberFormatException e) {
                problem(field, "'" + v + "' is not a whole number of replicas (2) or a percent (50%)");
                return null;
            }
        }

        /** The rule's own checks name their field first ("in-threshold: must be below ..."). */
        private MetricRule attempt(java.util.function.Supplier<MetricRule> build) {
            try {
                return build.get();
            } catch (IllegalArgumentException | NullPointerException e) {
                problems.add(key + Objects.requireNonNullElse(e.getMessage(), e.toString()));
                return null;
            }
        }
    }
}
