package dev.scaler.fleet;

import dev.scaler.decision.Decider;
import dev.scaler.target.Observation;
import dev.scaler.target.ScaleOutcome;
import dev.scaler.target.Target;
import dev.scaler.target.TargetDriver;
import dev.scaler.target.Tick;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fleet: counted host by host by the report playbook, scaled by spreading the decided total over the
 * reachable hosts and changing only the hosts whose share changes, in one run.
 */
@Singleton
public class FleetTargetDriver implements TargetDriver {

    private static final Logger LOG = LoggerFactory.getLogger(FleetTargetDriver.class);

    private final FleetDriver fleet;
    private final Clock clock;

    public FleetTargetDriver(FleetDriver fleet, Clock clock) {
        this.fleet = fleet;
        this.clock = clock;
    }

    @Override
    public Observation observe(Target target, Tick tick) {
        FleetObservation seen;
        try {
            seen = fleet.observe(target.name(), target.fleet());
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("tick={} target={} fleet observation failed: {}", tick.id(), target.name(), why);
            return Observation.failed(why, "; fleet: " + why, Decider.EXITED_OR_REMOVED);
        }
        LOG.info("tick={} target={} fleet observed: {}", tick.id(), target.name(), seen.hosts().stream()
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
        return Observation.counted(seen.observedTotal(move), Map.of(),
                notes.isEmpty() ? "" : "; fleet: " + String.join("; ", notes), why).withBasis(seen);
    }

    /** Each changed host comes back with its own outcome, with the plan (and any shortfall) in its text. */
    @Override
    public ScaleOutcome scale(Target target, Observation seen, int replicas, boolean dryRun, Tick tick) {
        if (!(seen.basis() instanceof FleetObservation hosts)) {
            throw new IllegalArgumentException("target " + target.name() + " was not observed as a fleet, so it"
                    + " cannot be scaled: " + seen.failure());
        }
        FleetPlan plan = FleetSplit.split(replicas, hosts.hosts(), target.fleet().moveShareOfUnreachable(),
                hosts.lastKnown());
        if (plan.shortfall() > 0) {
            LOG.warn("tick={} target={} fleet short: wanted={} placed={} reason=\"{}\"", tick.id(), target.name(),
                    plan.wanted(), plan.placed(), plan.reason());
        }
        List<FleetDriver.HostAction> actions = dryRun ? FleetDriver.dryRun(plan, clock.instant())
                : fleet.apply(target.name(), target.fleet(), plan);
        if (actions.isEmpty()) {
            LOG.info("tick={} target={} fleet: no host to change: {}", tick.id(), target.name(), plan.reason());
        }
        List<ScaleOutcome.Run> runs = new ArrayList<>();
        for (FleetDriver.HostAction a : actions) {
            String text = "plan: " + plan.reason() + (a.detail().isEmpty() ? "" : "\nhost: " + a.detail())
                    + "\n" + a.run().outputTail();
            runs.add(new ScaleOutcome.Run(a.change().host(), a.change().from(), a.change().to(), a.outcome(),
                    a.run().exitCode(), a.run().startedAt(), a.run().endedAt(), text));
        }
        return new ScaleOutcome(runs);
    }

    private static String firstLine(String text) {
        String t = text.strip();
        int i = t.indexOf('\n');
        return i < 0 ? t : t.substring(0, i);
    }
}
