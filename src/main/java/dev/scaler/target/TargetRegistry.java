package dev.scaler.target;

import dev.scaler.execution.ExecutionConfiguration;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured targets, validated when the application starts ({@link Context}): a bad value stops
 * startup with a message naming its key, instead of surfacing on the first tick.
 */
@Context
public class TargetRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TargetRegistry.class);

    private final Map<String, Target> byName;
    private final List<Target> ordered;

    public TargetRegistry(Collection<TargetProperties> configured, ExecutionConfiguration execution) {
        List<String> problems = new ArrayList<>();
        Map<String, Target> targets = new LinkedHashMap<>();
        configured.stream().sorted(Comparator.comparing(TargetProperties::name)).forEach(p -> {
            try {
                targets.put(p.name(), Targets.from(p, execution.inventory()));
            } catch (InvalidTargetException e) {
                problems.addAll(e.problems());
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidTargetException(problems);
        }
        this.byName = Map.copyOf(targets);
        this.ordered = List.copyOf(targets.values());
        if (ordered.isEmpty()) {
            LOG.warn("no targets configured: set scaler.targets.<name>.query and .compose-project (or SERVICE_NAME)");
        }
        for (Target t : ordered) {
            LOG.info("target={} scales=\"{}\" min={} max={} capacity_per_replica={} dry_run={}", t.name(),
                    t.describe(), t.policy().minReplicas(),
                    t.policy().maxReplicas(), t.policy().capacityPerReplica(), t.dryRun());
        }
    }

    public List<Target> all() {
        return ordered;
    }

    public Optional<Target> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }
}
