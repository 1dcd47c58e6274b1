package dev.scaler.target;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Map;

/**
 * One target as written under {@code scaler.targets.<name>.*}, before validation. Every value is kept as
 * the text it was given: {@link Targets} parses it, so a value that is not a number or a duration stops
 * startup with its key and value instead of silently becoming the default. {@link TargetDefaults} fills
 * in what is missing, so the defaults live in one place. {@code metrics} is the one structured key: a list of
 * maps, checked by {@link MetricRules} (docs/metrics.md).
 */
@EachProperty("scaler.targets")
public record TargetProperties(
        @Parameter String name,
        @Nullable String query,
        @Nullable String composeProject,
        @Nullable String composeProjectDir,
        @Nullable List<String> composeFiles,
        @Nullable String service,
        @Nullable String minReplicas,
        @Nullable String maxReplicas,
        @Nullable String capacityPerReplica,
        @Nullable String tolerance,
        @Nullable String scaleUpCooldown,
        @Nullable String scaleDownCooldown,
        @Nullable String scaleUpStabilization,
        @Nullable String scaleDownStabilization,
        @Nullable String scaleUpMaxReplicas,
        @Nullable String scaleUpMaxPercent,
        @Nullable String scaleDownMaxReplicas,
        @Nullable String scaleDownMaxPercent,
        @Nullable String fallbackAfterFailures,
        @Nullable String fallbackReplicas,
        @Nullable String retryInitial,
        @Nullable String retryMax,
        @Nullable String dryRun,
        @Nullable String fleetGroup,
        @Nullable String fleetInventory,
        @Nullable String fleetMoveShareOfUnreachable,
        @Nullable List<Map<String, Object>> metrics,
        @Nullable String swarmService,
        @Nullable String predictive,
        @Nullable String predictiveHorizon,
        @Nullable String predictiveHistory,
        @Nullable String predictiveMinHistory,
        @Nullable String predictiveStep,
        @Nullable String predictiveRefresh,
        @Nullable String predictiveTrendWindow,
        @Nullable String predictiveMaxError,
        @Nullable String predictiveMargin,
        @Nullable String predictiveBatch,
        @Nullable String predictiveTolerance) {

    /** The one Micronaut binds through: the record has a shorter constructor too. */
    @io.micronaut.core.annotation.Creator
    public TargetProperties {
    }

    /** Without the forecast's keys: the target decides reactively. */
    public TargetProperties(String name, String query, String composeProject, String composeProjectDir,
                            List<String> composeFiles, String service, String minReplicas, String maxReplicas,
                            String capacityPerReplica, String tolerance, String scaleUpCooldown,
                            String scaleDownCooldown, String scaleUpStabilization, String scaleDownStabilization,
                            String scaleUpMaxReplicas, String scaleUpMaxPercent, String scaleDownMaxReplicas,
                            String scaleDownMaxPercent, String fallbackAfterFailures, String fallbackReplicas,
                            String retryInitial, String retryMax, String dryRun, String fleetGroup,
                            String fleetInventory, String fleetMoveShareOfUnreachable, List<Map<String, Object>> metrics,
                            String swarmService) {
        this(name, query, composeProject, composeProjectDir, composeFiles, service, minReplicas, maxReplicas,
                capacityPerReplica, tolerance, scaleUpCooldown, scaleDownCooldown, scaleUpStabilization,
                scaleDownStabilization, scaleUpMaxReplicas, scaleUpMaxPercent, scaleDownMaxReplicas,
                scaleDownMaxPercent, fallbackAfterFailures, fallbackReplicas, retryInitial, retryMax, dryRun,
                fleetGroup, fleetInventory, fleetMoveShareOfUnreachable, metrics, swarmService,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The forecast's keys ({@code predictive*}, docs/forecast.md) that were given, by key, as text. */
    public Map<String, String> predictiveKeys() {
        String[] values = {predictive, predictiveHorizon, predictiveHistory, predictiveMinHistory, predictiveStep,
                predictiveRefresh, predictiveTrendWindow, predictiveMaxError, predictiveMargin, predictiveBatch,
                predictiveTolerance};
        String[] keys = {"predictive", "predictive-horizon", "predictive-history", "predictive-min-history",
                "predictive-step", "predictive-refresh", "predictive-trend-window", "predictive-max-error",
                "predictive-margin", "predictive-batch", "predictive-tolerance"};
        Map<String, String> given = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            if (values[i] != null && !values[i].isBlank()) {
                given.put(keys[i], values[i]);
            }
        }
        return given;
    }

    /** Only a name: every other key takes its default. */
    public static TargetProperties named(String name) {
        return new TargetProperties(name, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same properties with the {@code metrics} list replaced (a policy file reads it as structure). */
    public TargetProperties withMetrics(List<Map<String, Object>> list) {
        return new TargetProperties(name, query, composeProject, composeProjectDir, composeFiles, service, minReplicas,
                maxReplicas, capacityPerReplica, tolerance, scaleUpCooldown, scaleDownCooldown, scaleUpStabilization,
                scaleDownStabilization, scaleUpMaxReplicas, scaleUpMaxPercent, scaleDownMaxReplicas,
                scaleDownMaxPercent, fallbackAfterFailures, fallbackReplicas, retryInitial, retryMax, dryRun,
                fleetGroup, fleetInventory, fleetMoveShareOfUnreachable, list, swarmService, predictive,
                predictiveHorizon, predictiveHistory, predictiveMinHistory, predictiveStep, predictiveRefresh,
                predictiveTrendWindow, predictiveMaxError, predictiveMargin, predictiveBatch, predictiveTolerance);
    }
}
