package dev.scaler.target;

import dev.scaler.config.DurationText;
import dev.scaler.decision.Backoff;
import dev.scaler.decision.Fallback;
import dev.scaler.decision.MetricRule;
import dev.scaler.decision.Policy;
import dev.scaler.decision.StepLimit;
import dev.scaler.execution.ComposeService;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.forecast.ForecastSettings;
import dev.scaler.forecast.InvalidForecastSettingsException;
import dev.scaler.fleet.FleetSpec;
import dev.scaler.swarm.SwarmService;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns raw {@link TargetProperties} into validated {@link Target}s. Pure: no framework, no I/O, so
 * every rule is unit-tested. Every problem is reported, each with its full key and the value given.
 */
public final class Targets {

    static final String PREFIX = "scaler.targets.";
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");

    private Targets() {
    }

    /** The target these properties describe, with fleets defaulting to the execution's default inventory. */
    public static Target from(TargetProperties p) {
        return from(p, Path.of(ExecutionConfiguration.DEFAULT_INVENTORY));
    }

    /**
     * The target these properties describe, or {@link InvalidTargetException} listing every problem found.
     *
     * @param defaultInventory the inventory a fleet target uses when it names none
     */
    public static Target from(TargetProperties p, Path defaultInventory) {
        Parser in = new Parser(PREFIX + p.name() + ".");
        if (!isValidName(p.name())) {
            in.problems.add(PREFIX + "<name>: " + nameRule(p.name()));
        }
        String query = blankToNull(p.query());
        boolean listed = p.metrics() != null && !p.metrics().isEmpty();
        if (query == null && !listed) {
            in.problem("query", "is required (PromQL returning the load as one series)");
        }
        List<MetricRule> metrics = metrics(in, query, p);
        String group = blankToNull(p.fleetGroup());
        String project = blankToNull(p.composeProject());
        String swarmName = blankToNull(p.swarmService());
        FleetSpec fleet = null;
        ComposeService compose = null;
        SwarmService swarm = null;
        if (swarmName != null) {
            swarm = in.attempt(() -> swarm(in, p, swarmName, project, group));
        } else if (group != null) {
            // A fleet's compose settings are per host, in the inventory.
            if (project != null) {
                in.problem("compose-project", "must not be set with fleet-group (a fleet's hosts name their "
                        + "projects in the inventory: compose_scale_project_name)");
            }
            Path inventory = blankToNull(p.fleetInventory()) == null ? defaultInventory
                    : in.path("fleet-inventory", p.fleetInventory());
            boolean move = blankToNull(p.fleetMoveShareOfUnreachable()) == null
                    || in.bool("fleet-move-share-of-unreachable", p.fleetMoveShareOfUnreachable());
            fleet = new FleetSpec(group, inventory, move);
        } else if (project == null) {
            in.problem("compose-project", "is required (the compose project name), or fleet-group for a fleet,"
                    + " or swarm-service for a swarm service");
        } else {
            compose = in.attempt(() -> compose(in, p, project));
        }
        Policy policy = policy(in, p);
        boolean dryRun = in.bool("dry-run", p.dryRun());
        ForecastSettings forecast = forecast(in, p, query, listed);
        if (!in.problems.isEmpty()) {
            throw new InvalidTargetException(in.problems);
        }
        return new Target(p.name(), query, compose, fleet, policy, dryRun, metrics, swarm, forecast);
    }

    /**
     * The {@code predictive*} keys (docs/forecast.md). The forecast reads the target's {@code query} over the past
     * days, so a target scaled on a {@code metrics:} list cannot forecast: refused rather than silently reactive.
     */
    private static ForecastSettings forecast(Parser in, TargetProperties p, String query, boolean listed) {
        ForecastSettings settings;
        try {
            settings = ForecastSettings.parse(p.predictiveKeys());
        } catch (InvalidForecastSettingsException e) {
            for (String problem : e.problems()) {
                // ForecastSettings' messages start with the key: "predictive-step must ..."
                in.problems.add(in.key + problem.replaceFirst("^([a-z-]+) ", "$1: "));
            }
            return ForecastSettings.DEFAULTS;
        }
        if (settings.enabled() && (listed || query == null)) {
            in.problem("predictive", "'" + p.predictive() + "' needs the target's query alone; a target scaled on"
                    + " metrics: decides reactively (remove predictive, or scale on query)");
        }
        return settings;
    }

    /** A swarm target names its service and nothing of compose or fleets: such keys would be silently ignored. */
    private static SwarmService swarm(Parser in, TargetProperties p, String name, String project, String group) {
        String why = " (a swarm target is scaled by its swarm service name alone)";
        if (project != null) {
            in.problem("compose-project", "must not be set with swarm-service" + why);
        }
        if (group != null) {
            in.problem("fleet-group", "must not be set with swarm-service" + why);
        }
        if (blankToNull(p.service()) != null) {
            in.problem("service", "must not be set with swarm-service" + why);
        }
        if (blankToNull(p.composeProjectDir()) != null) {
            in.problem("compose-project-dir", "must not be set with swarm-service" + why);
        }
        if (p.composeFiles() != null && !p.composeFiles().isEmpty()) {
            in.problem("compose-files", "must not be set with swarm-service" + why);
        }
        try {
            return new SwarmService(name);
        } catch (IllegalArgumentException e) {
            // SwarmService names its record component; say the configuration key instead.
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^name ", "swarm-service "), e);
        }
    }

    /** The {@code query} shorthand (one tracking metric named "query"), then the {@code metrics} list. */
    private static List<MetricRule> metrics(Parser in, String query, TargetProperties p) {
        List<MetricRule> metrics = new ArrayList<>();
        if (query != null) {
            metrics.add(MetricRule.shorthand(query));
        }
        MetricRules.Parsed listed = MetricRules.from(p.metrics(), in.key,
                query == null ? Set.of() : Set.of(MetricRule.SHORTHAND_NAME), p.name());
        in.problems.addAll(listed.problems());
        metrics.addAll(listed.rules());
        return metrics;
    }

    private static Policy policy(Parser in, TargetProperties p) {
        int before = in.problems.size();
        int min = in.whole("min-replicas", p.minReplicas(), TargetDefaults.MIN_REPLICAS);
        int max = in.whole("max-replicas", p.maxReplicas(), TargetDefaults.MAX_REPLICAS);
        double capacity = in.number("capacity-per-replica", p.capacityPerReplica(), TargetDefaults.CAPACITY_PER_REPLICA);
        double tolerance = in.number("tolerance", p.tolerance(), TargetDefaults.TOLERANCE);
        Duration upCooldown = in.duration("scale-up-cooldown", p.scaleUpCooldown(), TargetDefaults.SCALE_UP_COOLDOWN);
        Duration downCooldown = in.duration("scale-down-cooldown", p.scaleDownCooldown(),
                TargetDefaults.SCALE_DOWN_COOLDOWN);
        Duration upWindow = in.duration("scale-up-stabilization", p.scaleUpStabilization(),
                TargetDefaults.SCALE_UP_STABILIZATION);
        Duration downWindow = in.duration("scale-down-stabilization", p.scaleDownStabilization(),
                TargetDefaults.SCALE_DOWN_STABILIZATION);
        int upMaxReplicas = in.nonNegative("scale-up-max-replicas", p.scaleUpMaxReplicas());
        int upMaxPercent = in.nonNegative("scale-up-max-percent", p.scaleUpMaxPercent());
        int downMaxReplicas = in.nonNegative("scale-down-max-replicas", p.scaleDownMaxReplicas());
        int downMaxPercent = in.nonNegative("scale-down-max-percent", p.scaleDownMaxPercent());
        int fallbackAfter = in.nonNegative("fallback-after-failures", p.fallbackAfterFailures());
        int fallbackReplicas = in.nonNegative("fallback-replicas", p.fallbackReplicas());
        if (fallbackAfter > 0 && blankToNull(p.fallbackReplicas()) == null) {
            in.problem("fallback-replicas", "is required when fallback-after-failures is set");
        }
        Duration retryInitial = in.duration("retry-initial", p.retryInitial(), TargetDefaults.RETRY_INITIAL);
        Duration retryMax = in.duration("retry-max", p.retryMax(), TargetDefaults.RETRY_MAX);
        if (retryMax.compareTo(retryInitial) < 0) {
            in.problem("retry-max", "must be >= retry-initial (" + retryInitial + "), got " + retryMax);
        }
        if (in.problems.size() > before) {
            return null;
        }
        // Policy checks the rest (range, capacity, tolerance); its messages start with the key.
        return in.attempt(() -> new Policy(min, max, capacity, tolerance, upCooldown, downCooldown, upWindow, downWindow,
                new StepLimit(upMaxReplicas, upMaxPercent), new StepLimit(downMaxReplicas, downMaxPercent),
                new Fallback(fallbackAfter, fallbackReplicas), new Backoff(retryInitial, retryMax)));
    }

    private static ComposeService compose(Parser in, TargetProperties p, String project) {
        Path dir = in.path("compose-project-dir", blankToNull(p.composeProjectDir()) == null
                ? TargetDefaults.COMPOSE_PROJECT_DIR : p.composeProjectDir());
        List<Path> files = new ArrayList<>();
        for (String f : p.composeFiles() == null ? List.<String>of() : p.composeFiles()) {
            if (blankToNull(f) == null) {
                in.problem("compose-files", "an entry is empty");
            } else {
                files.add(in.path("compose-files", f));
            }
        }
        try {
            return new ComposeService(project, dir, files, blankToNull(p.service()) == null ? p.name() : p.service().trim());
        } catch (IllegalArgumentException e) {
            // ComposeService names its record components; say the configuration key instead.
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^projectName ", "compose-project "), e);
        }
    }

    /** Whether {@code name} may name a target; a name is refused, never rewritten into one that may. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Why {@code name} is refused, for messages: the name as given and the rule. */
    public static String nameRule(String name) {
        return "'" + name + "' is not a valid target name (letters, digits, '_', '.', '-', starting with a letter"
                + " or digit); it is never renamed";
    }

    /**
     * A duration as Micronaut writes them ({@code 250ms}, {@code 15s}, {@code 5m}, {@code 1h}, {@code 1d}) or
     * ISO-8601 ({@code PT15S}); plain seconds are refused because the unit would be a guess.
     */
    public static Duration parseDuration(String text) {
        return DurationText.parse(text);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Parses values of one target, collecting every problem rather than stopping at the first. */
    private static final class Parser {
        final String key;
        final List<String> problems = new ArrayList<>();

        Parser(String key) {
            this.key = key;
        }

        void problem(String name, String message) {
            problems.add(key + name + ": " + message);
        }

        int whole(String name, String value, int fallback) {
            if (blankToNull(value) == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                problem(name, "'" + value + "' is not a whole number");
                return fallback;
            }
        }

        int nonNegative(String name, String value) {
            int n = whole(name, value, 0);
            if (n < 0) {
                problem(name, "must be >= 0 (0 = off), got " + n);
                return 0;
            }
            return n;
        }

        double number(String name, String value, double fallback) {
            if (blankToNull(value) == null) {
                return fallback;
            }
            try {
                return Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                problem(name, "'" + value + "' is not a number");
                return fallback;
            }
        }

        Duration duration(String name, String value, Duration fallback) {
            if (blankToNull(value) == null) {
                return fallback;
            }
            try {
                Duration d = parseDuration(value);
                if (d.isNegative()) {
                    problem(name, "must be >= 0, got '" + value + "'");
                    return fallback;
                }
                return d;
            } catch (RuntimeException e) {
                problem(name, "'" + value + "' is not a duration (use 250ms, 15s, 5m, 1h, 1d or ISO-8601 like PT15S)");
                return fallback;
            }
        }

        boolean bool(String name, String value) {
            String v = blankToNull(value);
            if (v == null) {
                return false;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> {
                    problem(name, "'" + value + "' is not true or false");
                    yield false;
                }
            };
        }

        Path path(String name, String value) {
            try {
                return Path.of(value.trim());
            } catch (InvalidPathException e) {
                problem(name, "'" + value + "' is not a path: " + e.getReason());
                return Path.of(".");
            }
        }

        <T> T attempt(Supplier<T> build) {
            try {
                return build.get();
            } catch (IllegalArgumentException e) {
                String message = Objects.requireNonNullElse(e.getMessage(), e.toString());
                problems.add(key + message.replaceFirst("^([a-z.-]+) must", "$1: must"));
                return null;
            }
        }
    }
}
