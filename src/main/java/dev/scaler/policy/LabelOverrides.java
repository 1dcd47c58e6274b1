package dev.scaler.policy;

import dev.scaler.decision.Decision;
import dev.scaler.decision.Policy;
import dev.scaler.forecast.ForecastSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Labels on a compose service override its policy at evaluation time: a label wins over the policy file
 * (or {@code scaler.targets}), which wins over the defaults. Pure: labels in, effective policy out, with
 * every problem named by label and value; a bad label is ignored and the policy's value is kept.
 */
public final class LabelOverrides {

    public static final String ENABLE = "scaler.enable";
    public static final String MIN = "scaler.min";
    public static final String MAX = "scaler.max";
    public static final String CAPACITY = "scaler.capacity";
    public static final String TOLERANCE = "scaler.tolerance";
    public static final String PREDICTIVE = "scaler.predictive";

    private LabelOverrides() {
    }

    /**
     * The policy a target is evaluated with.
     *
     * @param policy     the policy with the labels applied (the given one when no label applies)
     * @param enabled    false when {@code scaler.enable=false}: decide and record, but never scale
     * @param fromLabels what came from labels, e.g. {@code max-replicas=2 (scaler.max)}
     * @param problems   labels that were ignored, each with its value and why
     * @param forecast   the forecast's settings with {@code scaler.predictive}'s mode (the given ones without it)
     */
    public record Effective(Policy policy, boolean enabled, List<String> fromLabels, List<String> problems,
                            ForecastSettings forecast) {
        public Effective {
            fromLabels = List.copyOf(fromLabels);
            problems = List.copyOf(problems);
        }

        public Effective(Policy policy, boolean enabled, List<String> fromLabels, List<String> problems) {
            this(policy, enabled, fromLabels, problems, ForecastSettings.DEFAULTS);
        }

        /** What the decision's reason says about labels: empty when no label applies. */
        public String note() {
            StringBuilder s = new StringBuilder();
            if (!fromLabels.isEmpty()) {
                s.append("; labels: ").append(String.join(", ", fromLabels));
            }
            if (!problems.isEmpty()) {
                s.append("; label problems: ").append(String.join("; ", problems));
            }
            return s.toString();
        }

        /**
         * The decision with the labels' part in its reason; for a disabled target, a hold instead of any
         * change. Built here rather than in the Decider because the Decider knows nothing of labels.
         */
        public Decision apply(Decision decision) {
            String note = note();
            if (!enabled) {
                int current = decision instanceof Decision.Scale s ? s.from()
                        : decision instanceof Decision.RetryLater r ? r.current()
                        : ((Decision.Hold) decision).current();
                String reason = decision instanceof Decision.Hold ? decision.reason()
                        : "would " + decision.reason();
                return new Decision.Hold(current, decision.calculation(),
                        "not scaled: label " + ENABLE + "=false; " + reason + note);
            }
            if (note.isEmpty()) {
                return decision;
            }
            if (decision instanceof Decision.Scale s) {
                return new Decision.Scale(s.from(), s.to(), s.calculation(), s.reason() + note);
            }
            if (decision instanceof Decision.RetryLater r) {
                return new Decision.RetryLater(r.current(), r.wanted(), r.notBefore(), r.calculation(),
                        r.reason() + note);
            }
            Decision.Hold h = (Decision.Hold) decision;
            return new Decision.Hold(h.current(), h.calculation(), h.reason() + note);
        }
    }

    /** {@code policy} with the {@code scaler.*} labels of {@code labels} applied; other labels are ignored. */
    public static Effective apply(Policy policy, Map<String, String> labels) {
        return apply(policy, ForecastSettings.DEFAULTS, true, labels);
    }

    /**
     * As above, and {@code scaler.predictive} (off, forecast-only, on) overriding the mode of {@code forecast}.
     *
     * @param forecastable whether the target can forecast at all (it is scaled on its query alone)
     */
    public static Effective apply(Policy policy, ForecastSettings forecast, boolean forecastable,
                                  Map<String, String> labels) {
        Effective effective = applyPolicy(policy, labels);
        String predictive = labels.get(PREDICTIVE);
        if (predictive == null) {
            return new Effective(effective.policy, effective.enabled, effective.fromLabels, effective.problems,
                    forecast);
        }
        List<String> from = new ArrayList<>(effective.fromLabels);
        List<String> problems = new ArrayList<>(effective.problems);
        ForecastSettings settings = forecast;
        ForecastSettings.Mode mode = switch (predictive.trim().toLowerCase(Locale.ROOT)) {
            case "off", "false" -> ForecastSettings.Mode.OFF;
            case "on", "true" -> ForecastSettings.Mode.ON;
            case "forecast-only" -> ForecastSettings.Mode.FORECAST_ONLY;
            default -> null;
        };
        if (mode == null) {
            problems.add(PREDICTIVE + "='" + predictive + "' must be one of off, forecast-only, on; keeping predictive="
                    + forecast.mode().text());
        } else if (mode != ForecastSettings.Mode.OFF && !forecastable) {
            problems.add(PREDICTIVE + "='" + predictive + "' ignored: a target scaled on metrics: decides reactively;"
                    + " keeping predictive=" + forecast.mode().text());
        } else {
            settings = forecast.withMode(mode);
            from.add("predictive=" + mode.text() + " (" + PREDICTIVE + ")");
        }
        return new Effective(effective.policy, effective.enabled, from, problems, settings);
    }

    private static Effective applyPolicy(Policy policy, Map<String, String> labels) {
        List<String> from = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean enabled = true;
        String enable = labels.get(ENABLE);
        if (enable != null) {
            switch (enable.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> enabled = true;
                case "false", "no", "off", "0" -> {
                    enabled = false;
                    from.add("enabled=false (" + ENABLE + ")");
                }
                default -> problems.add(ENABLE + "='" + enable + "' is not true or false; the target stays enabled");
            }
        }
        Integer min = whole(labels, MIN, 0, "min-replicas", policy.minReplicas(), problems);
        Integer max = whole(labels, MAX, 1, "max-replicas", policy.maxReplicas(), problems);
        Double capacity = number(labels, CAPACITY, "capacity-per-replica", policy.capacityPerReplica(), problems);
        Double tolerance = number(labels, TOLERANCE, "tolerance", policy.tolerance(), problems);
        if (capacity != null && !(capacity > 0 && !capacity.isInfinite())) {
            problems.add(CAPACITY + "='" + labels.get(CAPACITY) + "' must be a positive number; keeping"
                    + " capacity-per-replica=" + policy.capacityPerReplica());
            capacity = null;
        }
        if (tolerance != null && !(tolerance >= 0 && tolerance < 1)) {
            problems.add(TOLERANCE + "='" + labels.get(TOLERANCE) + "' must be in [0, 1); keeping tolerance="
                    + policy.tolerance());
            tolerance = null;
        }
        int effMin = min == null ? policy.minReplicas() : min;
        int effMax = max == null ? policy.maxReplicas() : max;
        if ((min != null || max != null) && effMin > effMax) {
            problems.add("min-replicas " + effMin + " > max-replicas " + effMax + " with labels "
                    + (min == null ? "" : MIN + "='" + labels.get(MIN) + "' ")
                    + (max == null ? "" : MAX + "='" + labels.get(MAX) + "' ")
                    + "; keeping min-replicas=" + policy.minReplicas() + " and max-replicas=" + policy.maxReplicas());
            min = null;
            max = null;
        }
        Policy effective = policy;
        if (min != null || max != null || capacity != null || tolerance != null) {
            try {
                effective = new Policy(min == null ? policy.minReplicas() : min, max == null ? policy.maxReplicas() : max,
                        capacity == null ? policy.capacityPerReplica() : capacity,
                        tolerance == null ? policy.tolerance() : tolerance, policy.scaleUpCooldown(),
                        policy.scaleDownCooldown(), policy.scaleUpStabilization(), policy.scaleDownStabilization(),
                        policy.scaleUpLimit(), policy.scaleDownLimit(), policy.fallback(), policy.retryBackoff());
                if (min != null) {
                    from.add("min-replicas=" + min + " (" + MIN + ")");
                }
                if (max != null) {
                    from.add("max-replicas=" + max + " (" + MAX + ")");
                }
                if (capacity != null) {
                    from.add("capacity-per-replica=" + capacity + " (" + CAPACITY + ")");
                }
                if (tolerance != null) {
                    from.add("tolerance=" + tolerance + " (" + TOLERANCE + ")");
                }
            } catch (IllegalArgumentException e) {
                // e.g. the policy's fallback replicas fall outside the labels' range: the policy stays whole.
                problems.add("labels ignored: " + e.getMessage());
            }
        }
        return new Effective(effective, enabled, from, problems);
    }

    private static Integer whole(Map<String, String> labels, String label, int least, String key, int kept,
                                 List<String> problems) {
        String value = labels.get(label);
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= least) {
                return n;
            }
            problems.add(label + "='" + value + "' must be >= " + least + "; keeping " + key + "=" + kept);
        } catch (NumberFormatException e) {
            problems.add(label + "='" + value + "' is not a whole number; keeping " + key + "=" + kept);
        }
        return null;
    }

    private static Double number(Map<String, String> labels, String label, String key, double kept,
                                 List<String> problems) {
        String value = labels.get(label);
        if (value == null) {
            return null;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            problems.add(label + "='" + value + "' is not a number; keeping " + key + "=" + kept);
            return null;
        }
    }
}
