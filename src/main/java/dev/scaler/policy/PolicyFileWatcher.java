package dev.scaler.policy;

import dev.scaler.config.FixedDelay;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.target.InvalidTargetException;
import dev.scaler.target.Target;
import dev.scaler.target.TargetRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loads {@code scaler.policy-file} at startup (an invalid file stops startup with every error) and reloads it
 * when its content changes. Changes are found by polling a hash of the content, not with a WatchService:
 * bind mounts and symlink swaps (how Kubernetes and compose update mounted files) send no events.
 * A valid new version replaces the file's targets atomically; an invalid one is rejected, the old targets
 * keep running, and the rejection shows in the log, in /api/targets and in the metrics.
 */
@Context
@Requires(property = "scaler.policy-file")
public class PolicyFileWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyFileWatcher.class);

    private final Path file;
    private final Duration reloadInterval;
    private final Path defaultInventory;
    private final TargetRegistry registry;
    private final PolicyStatus status;
    private final Clock clock;
    private final Counter applied;
    private final Counter rejected;
    private final AtomicInteger valid = new AtomicInteger(1);
    private volatile String lastHash;

    public PolicyFileWatcher(PolicyConfiguration configuration, ExecutionConfiguration execution,
                             TargetRegistry registry, PolicyStatus status, MeterRegistry meters, Clock clock) {
        this.file = configuration.policyFile();
        this.reloadInterval = configuration.policyReloadInterval();
        this.defaultInventory = execution.inventory();
        this.registry = registry;
        this.status = status;
        this.clock = clock;
        this.applied = Counter.builder("scaler.policy.reloads").description("Policy file versions read, by result")
                .tag("result", "applied").register(meters);
        this.rejected = Counter.builder("scaler.policy.reloads").description("Policy file versions read, by result")
                .tag("result", "rejected").register(meters);
        Gauge.builder("scaler.policy.valid", valid, AtomicInteger::get)
                .description("1 when the policy file's current content is the one running, 0 when it was rejected")
                .register(meters);
        String hash = hash();
        PolicyReader.Result result = PolicyReader.read(file, defaultInventory);
        if (!result.valid()) {
            throw new InvalidTargetException(result.errors());
        }
        TargetRegistry.Changes changes = registry.replaceFileTargets(file.toString(), result.targets());
        lastHash = hash;
        status.set(new PolicyStatus.State(file.toString(), List.of(), clock.instant()));
        LOG.info("policy file={} loaded targets={}", file, changes.added());
        log(result.targets(), changes);
    }

    @EventListener
    void schedule(StartupEvent started) {
        FixedDelay.schedule(started.getSource().getBean(TaskScheduler.class, Qualifiers.byName(TaskExecutors.SCHEDULED)),
                "policy file check", reloadInterval, reloadInterval, this::poll);
    }

    /** Reads the file again when its content changed since the last version read (valid or not). */
    public void poll() {
        String hash = hash();
        if (hash.equals(lastHash)) {
            return;
        }
        reload(hash);
    }

    private synchronized void reload(String hash) {
        PolicyReader.Result result = PolicyReader.read(file, defaultInventory);
        List<String> errors = new ArrayList<>(result.errors());
        TargetRegistry.Changes changes = null;
        if (errors.isEmpty()) {
            try {
                changes = registry.replaceFileTargets(file.toString(), result.targets());
            } catch (InvalidTargetException e) {
                errors.addAll(e.problems());
            }
        }
        lastHash = hash;
        if (changes == null) {
            rejected.increment();
            valid.set(0);
            status.set(new PolicyStatus.State(file.toString(), errors, clock.instant()));
            LOG.warn("policy file={} reload=rejected errors={} reason=\"the previous version keeps running\"",
                    file, errors.size());
            for (String error : errors) {
                LOG.warn("policy file={} error=\"{}\"", file, error);
            }
            return;
        }
        applied.increment();
        valid.set(1);
        status.set(new PolicyStatus.State(file.toString(), List.of(), clock.instant()));
        LOG.info("policy file={} reload=applied added={} removed={} changed={}", file, changes.added(),
                changes.removed(), changes.changed());
        log(result.targets(), changes);
    }

    private void log(List<Target> targets, TargetRegistry.Changes changes) {
        for (Target t : targets) {
            String change = changes.added().contains(t.name()) ? "added" : changes.changed().contains(t.name())
                    ? "changed" : null;
            if (change != null) {
                LOG.info("policy file={} target={} {} scales=\"{}\" min={} max={} capacity_per_replica={} dry_run={}",
                        file, t.name(), change, t.describe(), t.policy().minReplicas(), t.policy().maxReplicas(),
                        t.policy().capacityPerReplica(), t.dryRun());
            }
        }
        for (String name : changes.removed()) {
            LOG.info("policy file={} target={} removed", file, name);
        }
    }

    /** The content's SHA-256; a file that cannot be read is one "version" too, so it is reported once. */
    private String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            return "unreadable: " + e;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
