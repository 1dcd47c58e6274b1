package dev.scaler.control;

import dev.scaler.ScalerConfiguration;
import dev.scaler.execution.ActionOutcome;
import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.history.HistoryStore;
import dev.scaler.loop.ScalingLoop;
import dev.scaler.loop.TargetLabels;
import dev.scaler.policy.LabelOverrides;
import dev.scaler.target.Observation;
import dev.scaler.target.ScaleOutcome;
import dev.scaler.target.Target;
import dev.scaler.target.TargetDriver;
import dev.scaler.target.TargetDrivers;
import dev.scaler.target.Tick;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scale asked for through the API. It takes the same path as the loop's (the target's evaluation lock,
 * the same executor, the same history rows), so the action starts the same cooldown a loop action would
 * and the loop does not undo it at its next tick. The decision row records the asked-for replicas as its
 * recommendation, so the stabilization windows count it like any recommendation: after a manual scale-up
 * the loop does not go below it for scale-down-stabilization (HPA's rule, highest recommendation of the
 * window). It has no metric state: a manual scale says nothing about load, so it does not break a run of
 * failed readings. To hold a size for longer, pause the target.
 */
@Singleton
public class ManualScaler {

    private static final Logger LOG = LoggerFactory.getLogger(ManualScaler.class);

    /** How a manual scale ended. {@code result} is an {@link ActionOutcome} name, or UNCHANGED. */
    public record Result(String target, String tickId, int fromReplicas, int toReplicas, String result,
                         boolean dryRun, Integer exitCode, String reason, String outputTail) {
        public boolean ok() {
            return result.equals("UNCHANGED") || result.equals(ActionOutcome.SUCCEEDED.name())
                    || result.equals(ActionOutcome.DRY_RUN.name());
        }
    }

    /** Why a manual scale could not start. */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final ScalingLoop loop;
    private final TargetDrivers drivers;
    private final HistoryStore history;
    private final ControlStore controls;
    private final ScalerConfiguration configuration;
    private final Clock clock;
    private final AtomicLong count = new AtomicLong();

    public ManualScaler(ScalingLoop loop, TargetDrivers drivers, HistoryStore history, ControlStore controls,
                        ScalerConfiguration configuration, Clock clock) {
        this.loop = loop;
        this.drivers = drivers;
        this.history = history;
        this.controls = controls;
        this.configuration = configuration;
        this.clock = clock;
    }

    /**
     * Scales {@code target} to {@code replicas}, within the bounds the loop would hold it to: the policy's
     * min/max after the service's {@code scaler.min}/{@code scaler.max} labels (400 otherwise).
     */
    public Result scale(Target target, int replicas, String reason) {
        if (target.isFleet()) {
            throw new Refused(501, "target: '" + target.name() + "' is a fleet (" + target.describe()
                    + "); manual scale supports compose and swarm targets");
        }
        if (loop.stopping()) {
            throw new Refused(503, "target: '" + target.name() + "' not scaled: Scaler is shutting down");
        }
        if (!loop.leading()) {
            throw new Refused(503, "target: '" + target.name() + "' not scaled: this instance does not lead");
        }
        String tickId = "m" + count.incrementAndGet() + "-manual";
        Optional<Result> done = loop.whileIdle(target.name(), () -> scaleNow(target, replicas, reason, tickId));
        return done.orElseThrow(() -> loop.stopping()
                ? new Refused(503, "target: '" + target.name() + "' not scaled: Scaler is shutting down")
                : new Refused(409, "target: '" + target.name()
                + "' is being evaluated or scaled right now; try again in a moment"));
    }

    private Result scaleNow(Target target, int replicas, String reason, String tickId) {
        TargetDriver driver = drivers.of(target);
        Tick tick = Tick.alone(tickId);
        Observation seen = driver.observe(target, tick);
        if (seen.running().isEmpty()) {
            throw new Refused(503, "target: '" + target.name() + "' cannot be observed, so nothing was scaled: "
                    + seen.failure());
        }
        int from = seen.running().getAsInt();
        LabelOverrides.Effective effective = TargetLabels.effective(target, tickId, seen);
        int min = effective.policy().minReplicas();
        int max = effective.policy().maxReplicas();
        if (replicas < min || replicas > max) {
            throw new Refused(400, "replicas: " + replicas + " is outside " + min + ".." + max + ", the bounds of"
                    + " target '" + target.name() + "'" + (effective.fromLabels().isEmpty() ? ""
                    : " after its labels " + effective.fromLabels()) + "; nothing was scaled");
        }
        boolean dryRun = controls.get(target.name()).dryRun(configuration.dryRun(), target.dryRun());
        String why = "manual scale by API from " + from + " to " + replicas + ": " + reason;
        if (from == replicas) {
            why = "manual scale by API: already at " + replicas + ", nothing to do: " + reason;
        }
        DecisionRecord decided = new DecisionRecord(null, target.name(), tickId, clock.instant(), from,
                null, null, null, null, null, null, null, replicas, replicas, from == replicas ? "HOLD" : "SCALE", why,
                dryRun);
        LOG.info("tick={} target={} decision={} observed={} desired={} reason=\"{}\"", tickId, target.name(),
                from == replicas ? "HOLD" : "SCALE", from, replicas, why);
        if (from == replicas) {
            history.saveDecision(decided);
            return new Result(target.name(), tickId, from, replicas, "UNCHANGED", dryRun, null, why, "");
        }
        if (dryRun) {
            long decisionId = history.saveDecision(decided);
            ScaleOutcome.Run run = only(driver.scale(target, seen, replicas, true, tick));
            history.saveAction(actionRow(decisionId, target, run));
            return new Result(target.name(), tickId, from, replicas, run.outcome().name(), true, null, why, run.text());
        }
        // as the loop does: a crash during the run leaves a RUNNING row that the next start closes
        HistoryStore.Started written = history.saveDecisionStartingAction(decided,
                ActionRecord.running(target.name(), clock.instant(), from, replicas));
        LOG.info("tick={} target={} action=start from={} to={} manual=true", tickId, target.name(), from, replicas);
        ScaleOutcome.Run run = only(driver.scale(target, seen, replicas, false, tick));
        history.finishAction(written.actionId(), List.of(actionRow(written.decisionId(), target, run)));
        LOG.info("tick={} target={} action={} from={} to={} exit={} manual=true", tickId, target.name(), run.outcome(),
                from, replicas, run.exitCode());
        return new Result(target.name(), tickId, from, replicas, run.outcome().name(), false, run.exitCode(), why,
                run.text());
    }

    /** A compose or swarm service's scale is one run. */
    private static ScaleOutcome.Run only(ScaleOutcome outcome) {
        if (outcome.runs().size() != 1) {
            throw new IllegalStateException("a service's scale ran " + outcome.runs().size() + " times, not once");
        }
        return outcome.runs().get(0);
    }

    private static ActionRecord actionRow(long decisionId, Target target, ScaleOutcome.Run run) {
        return new ActionRecord(null, decisionId, target.name(), null, run.startedAt(), run.endedAt(), run.from(),
                run.to(), run.exitCode(), run.outcome().name(), run.text());
    }
}
