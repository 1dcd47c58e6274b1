package dev.scaler.loop;

import dev.scaler.ScalerConfiguration;
import dev.scaler.control.TargetControl;
import dev.scaler.control.TargetControls;
import dev.scaler.decision.Decider;
import dev.scaler.decision.Decision;
import dev.scaler.decision.DecisionHistory;
import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricVerdict;
import dev.scaler.execution.ActionOutcome;
import dev.scaler.execution.PlaybookResult;
import dev.scaler.execution.ScaleExecutor;
import dev.scaler.fleet.FleetDriver;
import dev.scaler.fleet.FleetObservation;
import dev.scaler.fleet.FleetPlan;
import dev.scaler.fleet.FleetSplit;
import dev.scaler.fleet.HostCount;
import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.history.HistoryStore;
import dev.scaler.metrics.MetricRuleReader;
import dev.scaler.metrics.MetricSource;
import dev.scaler.observation.ObservationException;
import dev.scaler.observation.ReplicaObserver;
import dev.scaler.swarm.SwarmDriver;
import dev.scaler.swarm.SwarmObservation;
import dev.scaler.policy.LabelOverrides;
import dev.scaler.target.Target;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * One evaluation of one target: observe, read, remember, decide, record, act, record. The side
 * effects are all here; the decision in between is {@link Decider}'s alone.
 */
@Singleton
public class TargetEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(TargetEvaluator.class);

    private final ReplicaObserver observer;
    private final MetricSource metrics;
    private final HistoryStore history;
    private final FleetDriver fleet;
    private final Decider decider;
    private final Clock clock;
    private final ScalerConfiguration configuration;
    private final StatusBoard board;
    private final LoopMetrics loopMetrics;
    private final TargetControls controls;
    private final SwarmDriver swarm;
    private final LocalScale local;
    private final TargetLabels labels;

    /** Without runtime control: nothing is ever paused or overridden (tests that wire the evaluator by hand). */
    public TargetEvaluator(ReplicaObserver observer, MetricSource metrics, HistoryStore history, ScaleExecutor executor,
                           FleetDriver fleet, Clock clock, ScalerConfiguration configuration, StatusBoard board,
                           LoopMetrics loopMetrics) {
        this(observer, metrics, history, executor, fleet, clock, configuration, board, loopMetrics,
                TargetControls.NONE, null);
    }

    @Inject
    public TargetEvaluator(ReplicaObserver observer, MetricSource metrics, HistoryStore history, ScaleExecutor executor,
                           FleetDriver fleet, Clock clock, ScalerConfiguration configuration, StatusBoard board,
                           LoopMetrics loopMetrics, TargetControls controls, SwarmDriver swarm) {
        this.observer = observer;
        this.fleet = fleet;
        this.metrics = metrics;
        this.history = history;
        this.decider = new Decider(clock);
        this.clock = clock;
        this.configuration = configuration;
        this.board = board;
        this.loopMetrics = loopMetrics;
        this.controls = controls;
        this.swarm = swarm;
        this.local = new LocalScale(observer, executor, swarm);
        this.labels = new TargetLabels(observer, swarm);
    }

    public TargetStatus evaluate(Target target, String tickId) {
        Instant started = clock.instant();
        Observed seen = target.isFleet() ? observeFleet(target, tickId)
                : target.isSwarm() ? observeSwarm(target, tickId) : observe(target, tickId);
        OptionalInt observed = seen.total();
        FleetObservation hosts = seen.hosts();
        LabelOverrides.Effective labels = labels(target, tickId, observed);
        MetricVerdict verdict = new MetricRuleReader(metrics, clock).read(target.metrics(), observed, labels.policy());
        MetricReading reading = verdict.reading();
        DecisionHistory remembered = history.load(target.name(), labels.policy().stabilizationLookback(), clock.instant());
        Decision decision = labels.apply(decider.decide(labels.policy(), observed, verdict, remembered,
                seen.uncounted()));
        // pause and dry-run override set through the API (dev.scaler.control): a paused target decides, acts not
        TargetControl control = controls.get(target.name());
        boolean dryRun = control.dryRun(configuration.dryRun(), target.dryRun());

        DecisionRecord decided = record(target, tickId, clock.instant(), observed, reading, decision, dryRun,
                seen.note() + control.pausedNote());
        boolean acts = decision instanceof Decision.Scale && !control.paused();
        long decisionId;
        Long runningId = null;
        if (acts && !dryRun) {
            // the decision and its RUNNING action in one transaction: a crash during the run leaves a row that
            // the next start closes as INTERRUPTED, never a SCALE without an outcome
            Decision.Scale scale = (Decision.Scale) decision;
            HistoryStore.Started written = history.saveDecisionStartingAction(decided,
                    ActionRecord.running(target.name(), clock.instant(), scale.from(), scale.to()));
            decisionId = written.decisionId();
            runningId = written.actionId();
        } else {
            decisionId = history.saveDecision(decided);
        }
        String outcome = outcome(decision);
        loopMetrics.decision(target.name(), outcome);
        LOG.info("tick={} target={} decision={} observed={} desired={} metric={} value={} reason=\"{}\"", tickId,
                target.name(), outcome, observed.isPresent() ? observed.getAsInt() : "unknown",
                decision.calculation().desired(), reading.state(), reading.state().hasValue() ? reading.value() : "none",
                decision.reason() + control.pausedNote());

        String actionResult = null;
        if (acts) {
            Decision.Scale scale = (Decision.Scale) decision;
            ActionRows rows = new ActionRows(decisionId, runningId);
            try {
                actionResult = target.isFleet() ? actOnFleet(target, tickId, rows, scale, hosts, dryRun)
                        : act(target, tickId, rows, scale, dryRun);
            } catch (RuntimeException e) {
                // a fault of Scaler's own, not of the run: the RUNNING row must not stay until the next start
                if (runningId != null) {
                    history.finishAction(runningId, List.of(new ActionRecord(null, decisionId, target.name(), null,
                            clock.instant(), clock.instant(), scale.from(), scale.to(), null,
                            ActionOutcome.FAILED.name(), "scaler: the action failed inside Scaler: " + e)));
                }
                throw e;
            }
        }
        Duration took = Duration.between(started, clock.instant());
        loopMetrics.tick(target.name(), took);
        loopMetrics.state(target.name(), reading.state(), observed.isPresent() ? observed.getAsInt() : null,
                decision.calculation().desired());
        TargetStatus status = new TargetStatus(target.name(), tickId, clock.instant(),
                observed.isPresent() ? observed.getAsInt() : null, decision.calculation().desired(),
                reading.state().hasValue() ? reading.value() : null, reading.state(), reading.detail(),
                outcome, decision.reason() + control.pausedNote(), actionResult, labels.policy().minReplicas(),
                labels.policy().maxReplicas(), labels.fromLabels(), labels.problems());
        board.completed(status);
        return status;
    }

    /**
     * What runs, as the decision starts from it.
     *
     * @param total the running replicas (for a fleet, of the hosts counted); empty when unknown
     * @param hosts a fleet's hosts, null for a local target or a fleet that could not be observed
     * @param note  what the history must say besides the decision (unreachable hosts and why), or ""
     * @param uncounted why fewer than decided may be counted: replicas exited or were removed, or a fleet's
     *                  unreachable hosts are not counted
     */
    private record Observed(OptionalInt total, FleetObservation hosts, String note, String uncounted) {

        Observed(OptionalInt total, FleetObservation hosts, String note) {
            this(total, hosts, note, Decider.EXITED_OR_REMOVED);
        }
    }

    private Observed observe(Target target, String tickId) {
        try {
            return new Observed(OptionalInt.of(observer.runningReplicas(target.compose().projectName(),
                    target.compose().service())), null, "");
        } catch (ObservationException e) {
            LOG.warn("tick={} target={} observation failed: {}", tickId, target.name(), e.getMessage());
            return new Observed(OptionalInt.empty(), null, "");
        }
    }

    /** Running tasks, not the service's setting: swarm may still be replacing some (the note says so). */
    private Observed observeSwarm(Target target, String tickId) {
        try {
            SwarmObservation seen = swarm.observe(target.swarm());
            return new Observed(OptionalInt.of(seen.running()), null, SwarmDriver.note(seen));
        } catch (ObservationException e) {
            LOG.warn("tick={} target={} observation failed: {}", tickId, target.name(), e.getMessage());
            return new Observed(OptionalInt.empty(), null, "; swarm: " + e.getMessage());
        }
    }

    /** The policy with the service's {@code scaler.*} labels applied (see {@link TargetLabels}). */
    private LabelOverrides.Effective labels(Target target, String tickId, OptionalInt observed) {
        return labels.effective(target, tickId, observed);
    }

    private Observed observeFleet(Target target, String tickId) {
        FleetObservation seen;
        try {
            seen = fleet.observe(target.name(), target.fleet());
        } catch (RuntimeException e) {
            LOG.warn("tick={} target={} fleet observation failed: {}", tickId, target.name(), e.getMessage());
            return new Observed(OptionalInt.empty(), null, "; fleet: " + (e.getMessage() == null ? e : e.getMessage()));
        }
        LOG.info("tick={} target={} fleet observed: {}", tickId, target.name(), seen.hosts().stream()
                .map(h -> h.host().name() + "=" + (h.reachable() ? h.running() : "unreachable")).toList());
        boolean move = target.fleet().moveShareOfUnreachable();
        List<String> notes = new ArrayList<>();
        List<String> uncounted = new ArrayList<>();
        for (HostCount h : seen.hosts()) {
            if (!h.reachable()) {
                notes.add(h.host().name() + " " + firstLine(h.explanation()) + (move
                        ? "; its share moves to the reachable hosts"
                        : " (counted at its last known " + seen.lastKnown().getOrDefault(h.host().name(), 0) + ")"));
                uncounted.add(h.host().name() + " " + h.problem());
            }
        }
        // Only a moved share is missing from the count; a kept one is counted at its last known value.
        String why = move && !uncounted.isEmpty() ? String.join(", ", uncounted)
                + (uncounted.size() == 1 ? ", its share not counted" : ", their shares not counted")
                : Decider.EXITED_OR_REMOVED;
        return new Observed(OptionalInt.of(seen.observedTotal(move)), seen,
                notes.isEmpty() ? "" : "; fleet: " + String.join("; ", notes), why);
    }

    private static String firstLine(String text) {
        String t = text.strip();
        int i = t.indexOf('\n');
        return i < 0 ? t : t.substring(0, i);
    }

    /**
     * Spreads the decided total over the reachable hosts and changes only the hosts whose share changes, in
     * one run. Each host's outcome is recorded on its own row, with the plan (and any shortfall) as reason.
     */
    private String actOnFleet(Target target, String tickId, ActionRows rows, Decision.Scale scale,
                              FleetObservation hosts, boolean dryRun) {
        FleetPlan plan = FleetSplit.split(scale.to(), hosts.hosts(), target.fleet().moveShareOfUnreachable(),
                hosts.lastKnown());
        if (plan.shortfall() > 0) {
            LOG.warn("tick={} target={} fleet short: wanted={} placed={} reason=\"{}\"", tickId, target.name(),
                    plan.wanted(), plan.placed(), plan.reason());
        }
        List<FleetDriver.HostAction> actions = dryRun ? FleetDriver.dryRun(plan, clock.instant())
                : fleet.apply(target.name(), target.fleet(), plan);
        if (actions.isEmpty()) {
            save(rows, List.of());
            LOG.info("tick={} target={} fleet: no host to change: {}", tickId, target.name(), plan.reason());
            return null;
        }
        List<String> failed = new ArrayList<>();
        List<ActionRecord> records = new ArrayList<>();
        for (FleetDriver.HostAction a : actions) {
            String tail = "plan: " + plan.reason() + (a.detail().isEmpty() ? "" : "\nhost: " + a.detail())
                    + "\n" + a.run().outputTail();
            records.add(new ActionRecord(null, rows.decisionId(), target.name(), a.change().host(),
                    a.run().startedAt(), a.run().endedAt(), a.change().from(), a.change().to(), a.run().exitCode(),
                    a.outcome().name(), tail));
            loopMetrics.action(target.name(), a.outcome().name());
            if (a.outcome() != ActionOutcome.SUCCEEDED && a.outcome() != ActionOutcome.DRY_RUN) {
                failed.add(a.change().host() + "=" + a.outcome());
            }
        }
        save(rows, records);
        return failed.isEmpty() ? actions.get(0).outcome().name() : "PARTIAL " + String.join(",", failed);
    }

    /**
     * Where a decision's action rows go: appended (a dry run), or in place of the RUNNING row written with the
     * decision.
     */
    private record ActionRows(long decisionId, Long runningId) {
    }

    private void save(ActionRows rows, List<ActionRecord> records) {
        if (rows.runningId() == null) {
            records.forEach(history::saveAction);
        } else {
            history.finishAction(rows.runningId(), records);
        }
    }

    private String act(Target target, String tickId, ActionRows rows, Decision.Scale scale, boolean dryRun) {
        PlaybookResult result;
        if (dryRun) {
            result = PlaybookResult.dryRun(clock.instant());
        } else {
            LOG.info("tick={} target={} action=start from={} to={}", tickId, target.name(), scale.from(), scale.to());
            result = local.scale(target, scale.to());
        }
        save(rows, List.of(new ActionRecord(null, rows.decisionId(), target.name(), null, result.startedAt(),
                result.endedAt(), scale.from(), scale.to(), result.exitCode(), result.outcome().name(),
                result.outputTail())));
        loopMetrics.action(target.name(), result.outcome().name());
        long millis = Duration.between(result.startedAt(), result.endedAt()).toMillis();
        if (result.outcome() == ActionOutcome.SUCCEEDED || result.outcome() == ActionOutcome.DRY_RUN) {
            LOG.info("tick={} target={} action={} from={} to={} duration_ms={} exit={}", tickId, target.name(),
                    result.outcome(), scale.from(), scale.to(), millis, result.exitCode());
        } else {
            LOG.warn("tick={} target={} action={} from={} to={} duration_ms={} exit={} reason=\"no cooldown started;"
                            + " retried with backoff\" output_tail=\"{}\"", tickId, target.name(), result.outcome(),
                    scale.from(), scale.to(), millis, result.exitCode(), lastLine(result.outputTail()));
        }
        return result.outcome().name();
    }

    private static DecisionRecord record(Target target, String tickId, Instant decidedAt, OptionalInt observed,
                                         MetricReading reading, Decision decision, boolean dryRun, String note) {
        var c = decision.calculation();
        return new DecisionRecord(null, target.name(), tickId, decidedAt,
                observed.isPresent() ? observed.getAsInt() : null, reading.state().name(),
                reading.state().hasValue() ? reading.value() : null, reading.detail(), c.raw(), c.afterTolerance(),
                c.stabilized(), c.limited(), decision.targetReplicas(), decision.recommendation(), outcome(decision),
                decision.reason() + note, dryRun);
    }

    static String outcome(Decision decision) {
        if (decision instanceof Decision.Scale) {
            return "SCALE";
        }
        return decision instanceof Decision.RetryLater ? "RETRY" : "HOLD";
    }

    private static String lastLine(String text) {
        String trimmed = text.strip();
        int i = trimmed.lastIndexOf('\n');
        return (i < 0 ? trimmed : trimmed.substring(i + 1)).replace("\"", "'");
    }
}
