package dev.scaler.compose;

import dev.scaler.decision.Decider;
import dev.scaler.execution.PlaybookResult;
import dev.scaler.execution.ScaleExecutor;
import dev.scaler.observation.ComposeFileLabels;
import dev.scaler.observation.ComposeSnapshot;
import dev.scaler.observation.ObservationException;
import dev.scaler.observation.ReplicaObserver;
import dev.scaler.observation.ServiceReplicas;
import dev.scaler.target.Observation;
import dev.scaler.target.ScaleOutcome;
import dev.scaler.target.Target;
import dev.scaler.target.TargetDriver;
import dev.scaler.target.Tick;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * A compose service: counted by the labels compose puts on its containers, scaled by {@code scale.yml}.
 *
 * <p>In a loop tick every compose target is answered from one listing of the engine, made by the first
 * target of the tick that asks; an evaluation of its own (alert, manual scale) asks for its service alone.
 */
public final class ComposeDriver implements TargetDriver {

    private static final Logger LOG = LoggerFactory.getLogger(ComposeDriver.class);

    private final ReplicaObserver observer;
    private final ScaleExecutor executor;
    private final Clock clock;
    private final ComposeFileLabels.Cache fileLabels = new ComposeFileLabels.Cache();
    private final Object listing = new Object();
    /** The listing of the newest tick that asked, with its failure when it could not be made. */
    private volatile Listed listed;

    private record Listed(String tickId, ComposeSnapshot snapshot, ObservationException failure) {
    }

    public ComposeDriver(ReplicaObserver observer, ScaleExecutor executor, Clock clock) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Observation observe(Target target, Tick tick) {
        String project = target.compose().projectName();
        String service = target.compose().service();
        ServiceReplicas seen;
        try {
            seen = tick.shared() && observer.lists() ? snapshotOf(tick, project, service).of(project, service)
                    : observer.replicas(project, service);
        } catch (ObservationException e) {
            LOG.warn("tick={} target={} observation failed: {}", tick.id(), target.name(), e.getMessage());
            return Observation.failed(e.getMessage(), "", Decider.EXITED_OR_REMOVED);
        }
        return Observation.counted(seen.running(), seen.running() == 0 ? fileLabels(target, tick) : seen.scalerLabels(),
                "", Decider.EXITED_OR_REMOVED);
    }

    @Override
    public ScaleOutcome scale(Target target, Observation seen, int replicas, boolean dryRun, Tick tick) {
        int from = seen.running().orElseThrow(() -> new IllegalArgumentException("target " + target.name()
                + " was not counted, so it cannot be scaled: " + seen.failure()));
        if (dryRun) {
            return ScaleOutcome.of(from, replicas, PlaybookResult.dryRun(clock.instant()));
        }
        PlaybookResult result = executor.scale(target.name(), target.compose(), replicas, from);
        return ScaleOutcome.of(from, replicas, countedAfter(target, result));
    }

    /**
     * The playbook is told the count before and does not count after (its result says {@code "after": null}), so
     * the driver counts here, with one Docker API request instead of a process, and adds the count to what the
     * history keeps of the run.
     */
    private PlaybookResult countedAfter(Target target, PlaybookResult result) {
        String line;
        try {
            line = "scaler: running after the run: "
                    + observer.runningReplicas(target.compose().projectName(), target.compose().service());
        } catch (ObservationException | RuntimeException e) {
            line = "scaler: not counted after the run: " + e.getMessage();
        }
        String tail = result.outputTail().isEmpty() ? line : result.outputTail() + "\n" + line;
        return new PlaybookResult(result.outcome(), result.exitCode(), result.startedAt(), result.endedAt(), tail);
    }

    private ComposeSnapshot snapshotOf(Tick tick, String project, String service) throws ObservationException {
        Listed current = listed;
        if (current == null || !current.tickId().equals(tick.id())) {
            synchronized (listing) {
                current = listed;
                if (current == null || !current.tickId().equals(tick.id())) {
                    try {
                        current = new Listed(tick.id(), observer.snapshot(), null);
                    } catch (ObservationException e) {
                        current = new Listed(tick.id(), null, e);
                    }
                    listed = current;
                }
            }
        }
        if (current.failure() != null) {
            // every target says which service it could not count, as when it is asked for alone
            throw new ObservationException(project, service, current.failure().getCause());
        }
        return current.snapshot();
    }

    /** While none runs, the labels come from the compose file; labels that cannot be read leave the policy as is. */
    private Map<String, String> fileLabels(Target target, Tick tick) {
        try {
            return fileLabels.read(target.compose(), tick.shared() ? tick.id() : null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("tick={} target={} labels not read, the policy applies as written: {}", tick.id(), target.name(),
                    e.toString());
            return Map.of();
        }
    }
}
