package dev.scaler.loop;

import dev.scaler.ScalerConfiguration;
import dev.scaler.compose.ComposeDriver;
import dev.scaler.control.TargetControl;
import dev.scaler.control.TargetControls;
import dev.scaler.decision.Decider;
import dev.scaler.decision.Decision;
import dev.scaler.decision.DecisionHistory;
import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricVerdict;
import dev.scaler.execution.ActionOutcome;
import dev.scaler.execution.ScaleExecutor;
import dev.scaler.fleet.FleetDriver;
import dev.scaler.forecast.Forecast;
import dev.scaler.fleet.FleetTargetDriver;
import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.history.HistoryStore;
import dev.scaler.metrics.MetricRuleReader;
import dev.scaler.metrics.MetricSource;
import dev.scaler.observation.ReplicaObserver;
import dev.scaler.policy.LabelOverrides;
import dev.scaler.target.Observation;
import dev.scaler.target.ScaleOutcome;
import dev.scaler.target.Target;
import dev.scaler.target.TargetDriver;
import dev.scaler.target.TargetDrivers;
import dev.scaler.target.Tick;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One evaluation of one target: observe, read, remember, decide, record, act, record. The side
 * effects are all here or in the target's {@link TargetDriver}; the decision in between is {@link Decider}'s alone.
 */
@Singleton
public class TargetEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(TargetEvaluator.class);

    private final TargetDrivers drivers;
    private final MetricSource metrics;
    private final HistoryStore history;
    private final Decider decider;
    private final Clock clock;
    private final ScalerConfiguration configuration;
    private final StatusBoard board;
    private final LoopMetrics loopMetrics;
    private final TargetControls controls;
    private final LiveForecasts forecasts;

    /**
     * Compose and fleet targets, without runtime control: nothing is ever paused or overridden (tests that wire
     * the evaluator by hand).
     */
    public TargetEvaluator(ReplicaObserver observer, MetricSource metrics, HistoryStore history, ScaleExecutor executor,
                           FleetDriver fleet, Clock clock, ScalerConfiguration configuration, StatusBoard board,
                           LoopMetrics loopMetrics) {
        this(new TargetDrivers(new ComposeDriver(observer, executor, clock), null,
                        fleet == null ? null : new FleetTargetDriver(fleet, clock)),
                metrics, history, clock, configuration, board, loopMetrics, TargetControls.NONE,
                new LiveForecasts(metrics, clock));
    }

    @Inject
    public TargetEvaluator(TargetDrivers drivers, MetricSource metrics, HistoryStore history, Clock clock,
                           ScalerConfiguration configuration, StatusBoard board, LoopMetrics loopMetrics,
                           TargetControls controls, LiveForecasts forecasts) {
        this.drivers = drivers;
        this.metrics = metrics;
        this.history = history;
        this.decider = new Decider(clock);
        this.clock = clock;
        this.configuration = configuration;
        this.board = board;
        this.loopMetrics = loopMetrics;
        this.controls = controls;
        this.forecasts = forecasts;
    }

    /** An evaluation of the target on its own (an alert, a test): everything is read afresh. */
    public TargetStatus evaluate(Target target, String tickId) {
        return evaluate(target, Tick.alone(tickId));
    }

    /**
     * A standby's one read-only pass over a target (docs/ha.md): it observes the service and reads its metrics
     * and throws both away, so the clients, connections and classes a takeover's first evaluation needs are
     * ready; nothing is decided, stored or shown.
     */
    public void warmUp(Target target, Tick tick) {
        Observation seen = drivers.of(target).observe(target, tick);
        LabelOverrides.Effective labels = TargetLabels.effective(target, tick.id(), seen);
        new MetricRuleReader(metrics, clock).read(target.metrics(), seen.running(), labels.policy());
        history.load(target.name(), labels.policy().stabilizationLookback(), clock.instant());
    }

    /** An evaluation, returned once its decision is committed. */
    public TargetStatus evaluate(Target target, Tick tick) {
        Evaluated done = evaluateAndStore(target, tick);
        try {
            done.written().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return done.status();
    }

    /**
     * An evaluation and its decision's commit. In a loop tick a decision that acts on nothing is handed to the
     * history without waiting for its commit ({@link HistoryStore#saveDecisionLater}), so the worker goes on to
     * the next target; {@code written} completes once it is committed. A decision that acts is committed before
     * it acts, whatever the tick.
     */
    public record Evaluated(TargetStatus status, CompletableFuture<Long> written) {
    }

    /** {@link #evaluate}, without waiting for the commit of a decision that acts on nothing in a loop tick. */
    public Evaluated evaluateAndStore(Target target, Tick tick) {
        String tickId = tick.id();
        Instant started = clock.instant();
        TargetDriver driver = drivers.of(target);
        Observation seen = driver.observe(target, tick);
        OptionalInt observed = seen.running();
        LabelOverrides.Effective labels = TargetLabels.effective(target, tickId, seen);
        MetricVerdict verdict = new MetricRuleReader(metrics, clock).read(target.metrics(), observed, labels.policy());
        MetricReading reading = verdict.reading();
        DecisionHistory remembered = history.load(target.name(), labels.policy().stabilizationLookback(), clock.instant());
        // the forecast is judged and refreshed on every tick, also when the decision cannot use it (no replicas seen)
        Forecast forecast = forecasts.tick(target, labels.forecast(), reading, configuration.pollInterval());
        Decision decision = labels.apply(forecast == null
                ? decider.decide(labels.policy(), observed, verdict, remembered, seen.uncounted())
                : decider.decide(labels.policy(), observed, verdict, remembered, seen.uncounted(), forecast,
                labels.forecast()));
        // pause and dry-run override set through the API (dev.scaler.control): a paused target decides, acts not
        TargetControl control = controls.get(target.name());
        boolean dryRun = control.dryRun(configuration.dryRun(), target.dryRun());

        DecisionRecord decided = record(target, tickId, clock.instant(), observed, reading, decision, dryRun,
                seen.note() + control.pausedNote());
        boolean acts = decision instanceof Decision.Scale && !control.paused();
        long decisionId = -1;
        CompletableFuture<Long> written = null;
        Long runningId = null;
        ScaleOutcome dryRunDone = null;
        RuntimeException dryRunFault = null;
        if (acts && dryRun && target.fleet() == null) {
            // A dry run of a compose or swarm service does nothing and logs nothing: it runs first, and its row is
            // stored with the decision, one wait on the history where there were two (a fleet's dry run logs its
            // plan, which stays after the decision's line). A fault is Scaler's own: raised where act raises it.
            try {
                dryRunDone = driver.scale(target, seen, ((Decision.Scale) decision).to(), true, tick);
            } catch (RuntimeException e) {
                dryRunFault = e;
            }
        }
        if (dryRunDone != null && tick.shared()) {
            written = history.saveDecisionLater(decided, rows(target, 0, dryRunDone));
        } else if (dryRunDone != null) {
            decisionId = history.saveDecisionWithActions(decided, rows(target, 0, dryRunDone));
        } else if (acts && !dryRun) {
            // the decision and its RUNNING action in one transaction: a crash during the run leaves a row that
            // the next start closes as INTERRUPTED, never a SCALE without an outcome
            Decision.Scale scale = (Decision.Scale) decision;
            HistoryStore.Started stored = history.saveDecisionStartingAction(decided,
                    ActionRecord.running(target.name(), clock.instant(), scale.from(), scale.to()));
            decisionId = stored.decisionId();
            runningId = stored.actionId();
        } else if (!acts && tick.shared()) {
            written = history.saveDecisionLater(decided, List.of());
        } else {
            // an evaluation of its own (an alert, a manual one) waits for its commit; so does a fleet's dry run,
            // whose rows, written after its plan is logged, refer to this decision's id
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
            try {
                if (dryRunFault != null) {
                    throw dryRunFault;
                }
                actionResult = dryRunDone != null ? report(target, tick, dryRunDone)
                        : act(driver, target, tick, seen, decisionId, runningId, scale, dryRun);
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
        if (forecast != null) {
            loopMetrics.forecast(target.name(), forecast.usable() ? forecast.value() : Double.NaN,
                    forecasts.recentError(target.name()));
        }
        TargetStatus status = new TargetStatus(target.name(), tickId, clock.instant(),
                observed.isPresent() ? observed.getAsInt() : null, decision.calculation().desired(),
                reading.state().hasValue() ? reading.value() : null, reading.state(), reading.detail(),
                outcome, decision.reason() + control.pausedNote(), actionResult, labels.policy().minReplicas(),
                labels.policy().maxReplicas(), labels.fromLabels(), labels.problems(),
                forecast == null ? null : forecasts.view(target.name()).orElse(null));
        board.completed(status);
        return new Evaluated(status, written != null ? written
                : CompletableFuture.completedFuture(decisionId));
    }

    /**
     * Runs the scale through the target's driver and records each run on its own row: appended for a dry run,
     * in place of the RUNNING row written with the decision otherwise.
     */
    private String act(TargetDriver driver, Target target, Tick tick, Observation seen, long decisionId,
                       Long runningId, Decision.Scale scale, boolean dryRun) {
        if (!dryRun) {
            LOG.info("tick={} target={} action=start from={} to={}", tick.id(), target.name(), scale.from(), scale.to());
        }
        ScaleOutcome done = driver.scale(target, seen, scale.to(), dryRun, tick);
        List<ActionRecord> rows = rows(target, decisionId, done);
        if (runningId == null) {
            rows.forEach(history::saveAction);
        } else {
            history.finishAction(runningId, rows);
        }
        return report(target, tick, done);
    }

    private static List<ActionRecord> rows(Target target, long decisionId, ScaleOutcome done) {
        List<ActionRecord> rows = new ArrayList<>();
        for (ScaleOutcome.Run run : done.runs()) {
            rows.add(new ActionRecord(null, decisionId, target.name(), run.host(), run.startedAt(), run.endedAt(),
                    run.from(), run.to(), run.exitCode(), run.outcome().name(), run.text()));
        }
        return rows;
    }

    /** The metrics and the log line of each run, once its rows are handed to the history; the status's summary. */
    private String report(Target target, Tick tick, ScaleOutcome done) {
        for (ScaleOutcome.Run run : done.runs()) {
            loopMetrics.action(target.name(), run.outcome().name());
            long millis = Duration.between(run.startedAt(), run.endedAt()).toMillis();
            String host = run.host() == null ? "" : " host=" + run.host();
            if (run.ok()) {
                LOG.info("tick={} target={}{} action={} from={} to={} duration_ms={} exit={}", tick.id(), target.name(),
                        host, run.outcome(), run.from(), run.to(), millis, run.exitCode());
            } else {
                LOG.warn("tick={} target={}{} action={} from={} to={} duration_ms={} exit={} reason=\"no cooldown"
                                + " started; retried with backoff\" output_tail=\"{}\"", tick.id(), target.name(), host,
                        run.outcome(), run.from(), run.to(), millis, run.exitCode(), lastLine(run.text()));
            }
        }
        return done.summary();
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
