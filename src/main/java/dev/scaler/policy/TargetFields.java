package dev.scaler.policy;

import dev.scaler.target.TargetProperties;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-target keys a YAML policy may use, the same kebab-case keys as {@code scaler.targets.<name>.*}
 * (README's table), and how their text becomes {@link TargetProperties}. Shared by the policy file and the
 * backtest's policy reader, so both accept exactly what the service accepts.
 */
public final class TargetFields {

    /** The single-value keys of {@code scaler.targets.<name>.*}, plus {@code compose-files} (a list). */
    public static final Set<String> KEYS = Set.of("query", "compose-project", "compose-project-dir", "compose-files",
            "service", "min-replicas", "max-replicas", "capacity-per-replica", "tolerance", "scale-up-cooldown",
            "scale-down-cooldown", "scale-up-stabilization", "scale-down-stabilization", "scale-up-max-replicas",
            "scale-up-max-percent", "scale-down-max-replicas", "scale-down-max-percent", "fallback-after-failures",
            "fallback-replicas", "retry-initial", "retry-max", "dry-run", "fleet-group", "fleet-inventory",
            "fleet-move-share-of-unreachable", "swarm-service", "predictive", "predictive-horizon",
            "predictive-history", "predictive-min-history", "predictive-step", "predictive-refresh",
            "predictive-trend-window", "predictive-max-error", "predictive-margin", "predictive-batch",
            "predictive-tolerance");

    /** The key whose value is a list rather than a single value. */
    public static final String COMPOSE_FILES = "compose-files";

    private TargetFields() {
    }

    /** The raw properties of target {@code name}: {@code values} by key, and the compose files (or null). */
    public static TargetProperties properties(String name, Map<String, String> values, List<String> composeFiles) {
        return new TargetProperties(name, values.get("query"), values.get("compose-project"),
                values.get("compose-project-dir"), composeFiles, values.get("service"), values.get("min-replicas"),
                values.get("max-replicas"), values.get("capacity-per-replica"), values.get("tolerance"),
                values.get("scale-up-cooldown"), values.get("scale-down-cooldown"),
                values.get("scale-up-stabilization"), values.get("scale-down-stabilization"),
                values.get("scale-up-max-replicas"), values.get("scale-up-max-percent"),
                values.get("scale-down-max-replicas"), values.get("scale-down-max-percent"),
                values.get("fallback-after-failures"), values.get("fallback-replicas"), values.get("retry-initial"),
                values.get("retry-max"), values.get("dry-run"), values.get("fleet-group"),
                values.get("fleet-inventory"), values.get("fleet-move-share-of-unreachable"), null,
                values.get("swarm-service"), values.get("predictive"), values.get("predictive-horizon"),
                values.get("predictive-history"), values.get("predictive-min-history"), values.get("predictive-step"),
                values.get("predictive-refresh"), values.get("predictive-trend-window"),
                values.get("predictive-max-error"), values.get("predictive-margin"), values.get("predictive-batch"),
                values.get("predictive-tolerance"));
    }
}
