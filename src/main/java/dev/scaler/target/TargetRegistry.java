package dev.scaler.target;

import dev.scaler.execution.ExecutionConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The configured targets, validated when the application starts ({@link Context}): a bad value stops
 * startup with a message naming its key, instead of surfacing on the first tick. Targets of a policy file
 * (package {@code dev.scaler.policy}) are added and reloaded through {@link #replaceFileTargets}; readers
 * always see one whole immutable snapshot, ordered by name.
 */
@Context
public class TargetRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TargetRegistry.class);

    /** Where targets from {@code scaler.targets} come from, in {@link #sourceOf}. */
    public static final String CONFIGURATION = "scaler.targets";

    /** What {@link #all()} and {@link #find} read: replaced as a whole, so a reader never sees half a reload. */
    private record Snapshot(Map<String, Target> byName, List<Target> ordered, Map<String, String> sources) {
    }

    /** The target names a {@link #replaceFileTargets} added, removed and changed. */
    public record Changes(List<String> added, List<String> removed, List<String> changed) {
    }

    private final List<Target> configuredTargets;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

    @Inject
    public TargetRegistry(Collection<TargetProperties> configured, ExecutionConfiguration execution,
                          Environment environment) {
        this(configured, execution, namesAsWritten(environment));
    }

    /**
     * @param namesAsWritten the target names as the property sources spell them; Micronaut's
     *                       {@code @EachProperty} normalises a key ("web spaced" becomes "web-spaced"), so an
     *                       invalid name is only visible here, and is refused rather than renamed
     */
    public TargetRegistry(Collection<TargetProperties> configured, ExecutionConfiguration execution,
                          Set<String> namesAsWritten) {
        List<String> problems = new ArrayList<>();
        namesAsWritten.stream().filter(n -> !Targets.isValidName(n)).sorted()
                .forEach(n -> problems.add(Targets.PREFIX + "<name>: " + Targets.nameRule(n)));
        Map<String, Target> targets = new LinkedHashMap<>();
        configured.stream().sorted(Comparator.comparing(TargetProperties::name)).forEach(p -> {
            try {
                targets.put(p.name(), Targets.from(p, execution.inventory()));
            } catch (InvalidTargetException e) {
                problems.addAll(e.problems());
            }
        });
        if (problems.isEmpty()) {
            Map<String, String> sources = new HashMap<>();
            targets.keySet().forEach(n -> sources.put(n, CONFIGURATION));
            problems.addAll(owners(List.copyOf(targets.values()), sources));
        }
        if (!problems.isEmpty()) {
            throw new InvalidTargetException(problems);
        }
        this.configuredTargets = List.copyOf(targets.values());
        snapshot.set(snapshot(configuredTargets, null, List.of()));
        List<Target> ordered = configuredTargets;
        if (ordered.isEmpty()) {
            LOG.warn("no targets in scaler.targets: set scaler.targets.<name>.query and .compose-project (or SERVICE_NAME),"
                    + " or list them in scaler.policy-file");
        }
        for (Target t : ordered) {
            LOG.info("target={} scales=\"{}\" min={} max={} capacity_per_replica={} dry_run={}", t.name(),
                    t.describe(), t.policy().minReplicas(),
                    t.policy().maxReplicas(), t.policy().capacityPerReplica(), t.dryRun());
        }
    }

    /** The segment after {@code scaler.targets.} of every key of every property source, as written. */
    static Set<String> namesAsWritten(Environment environment) {
        Set<String> names = new TreeSet<>();
        for (PropertySource source : environment.getPropertySources()) {
            for (String key : source) {
                if (key.startsWith(Targets.PREFIX)) {
                    String rest = key.substring(Targets.PREFIX.length());
                    int dot = rest.indexOf('.');
                    names.add(dot < 0 ? rest : rest.substring(0, dot));
                }
            }
        }
        return names;
    }

    public List<Target> all() {
        return snapshot.get().ordered();
    }

    public Optional<Target> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(snapshot.get().byName().get(name));
    }

    /** Where target {@code name} is defined: {@link #CONFIGURATION} or a policy file's path; null when unknown. */
    public String sourceOf(String name) {
        return snapshot.get().sources().get(name);
    }

    /**
     * Replaces the targets of the policy file {@code source} by {@code fromFile}, atomically; targets from
     * {@code scaler.targets} stay. A name defined in both is refused, and nothing changes.
     */
    public synchronized Changes replaceFileTargets(String source, List<Target> fromFile) {
        List<String> clashes = new ArrayList<>();
        for (Target t : fromFile) {
            if (configuredTargets.stream().anyMatch(c -> c.name().equals(t.name()))) {
                clashes.add(source + ": targets." + t.name() + ": is also defined in scaler.targets."
                        + t.name() + " (a target is defined in one place only)");
            }
        }
        if (!clashes.isEmpty()) {
            throw new InvalidTargetException(clashes);
        }
        Snapshot after = snapshot(configuredTargets, source, fromFile);
        List<String> shared = owners(after.ordered(), after.sources());
        if (!shared.isEmpty()) {
            throw new InvalidTargetException(shared);
        }
        Snapshot before = snapshot.get();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Target t : after.ordered()) {
            Target old = before.byName().get(t.name());
            if (old == null) {
                added.add(t.name());
            } else if (!old.equals(t)) {
                changed.add(t.name());
            }
        }
        List<String> removed = before.ordered().stream().map(Target::name)
                .filter(n -> !after.byName().containsKey(n)).toList();
        snapshot.set(after);
        return new Changes(added, removed, changed);
    }

    /**
     * One target per owned service ({@link Target#key()}): two targets on one compose service (or swarm service,
     * or fleet group) would each run its playbook and fight over the count.
     */
    static List<String> owners(List<Target> all, Map<String, String> sources) {
        Map<dev.scaler.execution.ServiceKey, Target> owner = new HashMap<>();
        List<String> problems = new ArrayList<>();
        // scaler.targets first: a file's target is the one refused beside a configured one
        for (Target t : all.stream().sorted(Comparator.comparing((Target x) -> !CONFIGURATION.equals(sources.get(x.name())))
                .thenComparing(Target::name)).toList()) {
            Target first = owner.putIfAbsent(t.key(), t);
            if (first != null) {
                problems.add(where(sources, t.name()) + ": scales " + t.key() + ", which target '" + first.name()
                        + "' (" + where(sources, first.name()) + ") already scales; one target per service,"
                        + " or the two would fight over the count");
            }
        }
        return problems;
    }

    private static String where(Map<String, String> sources, String name) {
        String source = sources.get(name);
        return CONFIGURATION.equals(source) || source == null ? CONFIGURATION + "." + name
                : source + ": targets." + name;
    }

    private static Snapshot snapshot(List<Target> configured, String source, List<Target> fromFile) {
        Map<String, Target> byName = new TreeMap<>();
        Map<String, String> sources = new HashMap<>();
        for (Target t : configured) {
            byName.put(t.name(), t);
            sources.put(t.name(), CONFIGURATION);
        }
        for (Target t : fromFile) {
            byName.put(t.name(), t);
            sources.put(t.name(), source);
        }
        return new Snapshot(Map.copyOf(byName), List.copyOf(byName.values()), Map.copyOf(sources));
    }
}
