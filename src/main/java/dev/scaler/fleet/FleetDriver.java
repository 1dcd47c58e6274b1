package dev.scaler.fleet;

import dev.scaler.execution.ActionOutcome;
import dev.scaler.execution.AnsibleRunner;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.execution.PlaybookResult;
import dev.scaler.execution.PlaybookRun;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Observes and scales a fleet target through Ansible: {@code fleet_report.yml} counts the replicas on
 * every host of the group, {@code fleet_scale.yml} applies a {@link FleetPlan} to the hosts it changes,
 * all of them in one run with one fork per host. Both playbooks sit beside the configured playbook.
 */
@Singleton
public class FleetDriver {

    private static final Logger LOG = LoggerFactory.getLogger(FleetDriver.class);
    static final String REPORT_PLAYBOOK = "fleet_report.yml";
    static final String SCALE_PLAYBOOK = "fleet_scale.yml";
    static final String STATS_PLAYBOOK = "fleet_stats.yml";

    private final AnsibleRunner runner;
    private final FleetInventory inventory;
    private final ExecutionConfiguration configuration;
    /** Last count seen per target and host, for unreachable hosts whose share is not moved. */
    private final Map<String, Map<String, Integer>> lastKnown = new ConcurrentHashMap<>();
    /** The compose CLI per target and host, {@code v1} or {@code v2}, as the host's last scale run reported it. */
    private final Map<String, Map<String, String>> composeCommands = new ConcurrentHashMap<>();

    public FleetDriver(AnsibleRunner runner, FleetInventory inventory, ExecutionConfiguration configuration) {
        this.runner = runner;
        this.inventory = inventory;
        this.configuration = configuration;
    }

    /** Every host of the group with its running replicas, or why it could not be asked. */
    public FleetObservation observe(String target, FleetSpec spec) {
        List<FleetHost> hosts = inventory.hosts(spec.inventory(), spec.group());
        AnsibleOutput output = new AnsibleOutput("scaler_report");
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("scaler_hosts", spec.group());
        PlaybookResult run = runner.run(target, new PlaybookRun(playbook(REPORT_PLAYBOOK), spec.inventory(), variables,
                configuration.timeout(), false, hosts.size()), output::line);
        List<HostCount> counts = new ArrayList<>();
        Map<String, Integer> known = lastKnown.computeIfAbsent(target, k -> new ConcurrentHashMap<>());
        for (FleetHost host : hosts) {
            AnsibleOutput.Recap recap = output.recap().get(host.name());
            Object running = output.results().getOrDefault(host.name(), Map.of()).get("running");
            if (recap != null && recap.succeeded() && running instanceof Number n) {
                counts.add(HostCount.reachable(host, n.intValue()));
                known.put(host.name(), n.intValue());
            } else {
                HostCount count = recap == null
                        ? HostCount.unreachable(host, "no answer from the report run (" + run.outcome() + ")", "")
                        : recap.unreachable() > 0 ? HostCount.unreachable(host, output.fatal(host.name()))
                        : HostCount.unreachable(host, "report failed", output.fatal(host.name()));
                counts.add(count);
                LOG.warn("target={} host={} observation failed: {}", target, host.name(), count.explanation());
            }
        }
        return new FleetObservation(counts, Map.copyOf(known));
    }

    /**
     * What the fleet's containers use on every host, from one run of {@code fleet_stats.yml} ({@code docker stats
     * --no-stream} on each host): the lines as docker printed them, or why a host could not tell. Read-only, so it
     * takes no lock and never waits for a scale run.
     *
     * @param forks hosts asked at once; more hosts wait for a free fork
     * @return every host of the group; none when the run was interrupted (shutdown)
     */
    public List<HostStats> stats(String target, FleetSpec spec, int forks) {
        List<FleetHost> hosts = inventory.hosts(spec.inventory(), spec.group());
        AnsibleOutput output = new AnsibleOutput("scaler_stats");
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("scaler_hosts", spec.group());
        PlaybookResult run = runner.run(target, new PlaybookRun(playbook(STATS_PLAYBOOK), spec.inventory(), variables,
                configuration.timeout(), false, Math.max(1, Math.min(forks, hosts.size()))), output::line);
        if (run.outcome() == ActionOutcome.INTERRUPTED) {
            // Shutdown refused or killed the run: no host failed, so one line rather than a warning per host.
            LOG.info("target={} fleet stats run interrupted (shutdown): no figures this round", target);
            return List.of();
        }
        return hostStats(hosts, output, run.outcome());
    }

    /** Each host's answer in a stats run's output, or why it has none. Pure. */
    static List<HostStats> hostStats(List<FleetHost> hosts, AnsibleOutput output, ActionOutcome outcome) {
        List<HostStats> result = new ArrayList<>();
        for (FleetHost host : hosts) {
            AnsibleOutput.Recap recap = output.recap().get(host.name());
            Map<String, Object> r = output.results().get(host.name());
            String problem;
            if (recap == null) {
                problem = "no answer from the stats run (" + outcome + ")";
            } else if (recap.unreachable() > 0) {
                problem = SshFailure.describe(output.fatal(host.name()));
            } else if (!recap.succeeded() || r == null) {
                problem = "stats run failed: " + output.fatal(host.name());
            } else if (r.get("rc") instanceof Number rc && rc.intValue() != 0) {
                problem = "docker stats exited with " + rc + ": " + String.valueOf(r.get("error")).strip();
            } else {
                problem = "";
            }
            result.add(problem.isEmpty()
                    ? new HostStats(host.name(), text(r.get("project")), text(r.get("service")), lines(r.get("limits")),
                    lines(r.get("stats")), "")
                    : new HostStats(host.name(), "", "", List.of(), List.of(), problem));
        }
        return result;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static List<String> lines(Object value) {
        return value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    /**
     * One host's answer to {@link #stats}.
     *
     * @param project the host's compose project, as its inventory variables name it
     * @param limits  {@code docker inspect} lines: full id, NanoCpus, CpuQuota, CpuPeriod
     * @param stats   {@code docker stats --no-stream --format '{{json .}}'} lines, one per container
     * @param problem why the host could not tell, else empty
     */
    public record HostStats(String host, String project, String service, List<String> limits, List<String> stats,
                            String problem) {

        public HostStats {
            limits = List.copyOf(limits);
            stats = List.copyOf(stats);
        }

        public boolean answered() {
            return problem.isEmpty();
        }
    }

    /**
     * Applies the plan's changes in one run. Never throws for a failed run: every changed host comes back
     * with its own outcome.
     */
    public List<HostAction> apply(String target, FleetSpec spec, FleetPlan plan) {
        if (plan.changes().isEmpty()) {
            return List.of();
        }
        Map<String, Object> replicas = new LinkedHashMap<>();
        plan.changes().forEach(c -> replicas.put(c.host(), c.to()));
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("scaler_hosts", String.join(":", replicas.keySet()));
        variables.put("scaler_fleet_replicas", replicas);
        variables.putAll(told(target, plan));
        AnsibleOutput output = new AnsibleOutput("scaler_result");
        LOG.info("target={} fleet scale starting: {}", target, plan.reason());
        PlaybookResult run = runner.run(target, new PlaybookRun(playbook(SCALE_PLAYBOOK), spec.inventory(), variables,
                configuration.timeout(), false, replicas.size()).locking(spec.key()), output::line);
        rememberCommands(target, output);
        List<HostAction> actions = new ArrayList<>();
        for (FleetPlan.Change change : plan.changes()) {
            AnsibleOutput.Recap recap = output.recap().get(change.host());
            ActionOutcome outcome;
            if (run.outcome() == ActionOutcome.TIMED_OUT || run.outcome() == ActionOutcome.INTERRUPTED) {
                outcome = run.outcome();
            } else if (recap == null) {
                outcome = ActionOutcome.FAILED;
            } else if (recap.unreachable() > 0) {
                outcome = ActionOutcome.UNREACHABLE;
            } else {
                outcome = recap.failed() > 0 ? ActionOutcome.FAILED : ActionOutcome.SUCCEEDED;
            }
            String fatal = output.fatal(change.host());
            String detail = outcome == ActionOutcome.UNREACHABLE ? SshFailure.describe(fatal) : fatal;
            actions.add(new HostAction(change, outcome, detail, run));
            LOG.info("target={} host={} action={} from={} to={} detail=\"{}\"", target, change.host(), outcome,
                    change.from(), change.to(), detail.replace("\"", "'"));
        }
        return actions;
    }

    /**
     * What Scaler knows of each changed host, so the role asks the host nothing more than the scale itself: the count
     * before (the report run's, which the plan starts from) and the compose CLI the host's last run used. The hosts'
     * counts after are not asked either: the next report counts them.
     */
    Map<String, Object> told(String target, FleetPlan plan) {
        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, Object> commands = new LinkedHashMap<>();
        Map<String, String> known = composeCommands.getOrDefault(target, Map.of());
        for (FleetPlan.Change change : plan.changes()) {
            before.put(change.host(), change.from());
            String command = known.get(change.host());
            if (command != null) {
                commands.put(change.host(), command);
            }
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("scaler_fleet_before", before);
        variables.put("scaler_fleet_commands", commands);
        return variables;
    }

    /** The compose CLI each host's run used ({@code "compose"} of its result), for the next run. */
    void rememberCommands(String target, AnsibleOutput output) {
        Map<String, String> known = composeCommands.computeIfAbsent(target, k -> new ConcurrentHashMap<>());
        output.results().forEach((host, result) -> {
            Object compose = result.get("compose");
            if ("docker compose".equals(compose)) {
                known.put(host, "v2");
            } else if ("docker-compose".equals(compose)) {
                known.put(host, "v1");
            }
        });
    }

    /** What a dry run records for every change, without running anything. */
    public static List<HostAction> dryRun(FleetPlan plan, Instant now) {
        PlaybookResult nothing = PlaybookResult.dryRun(now);
        return plan.changes().stream().map(c -> new HostAction(c, ActionOutcome.DRY_RUN, "", nothing)).toList();
    }

    private Path playbook(String name) {
        return configuration.playbook().toAbsolutePath().resolveSibling(name);
    }

    /**
     * One host's part of a fleet run.
     *
     * @param detail what happened to the host, if anything: {@code unreachable (host key changed): ...} with ssh's
     *               own words ({@link SshFailure}), or a task failure's fatal message
     * @param run    the whole run it was part of (times, exit code, output tail)
     */
    public record HostAction(FleetPlan.Change change, ActionOutcome outcome, String detail, PlaybookResult run) {
    }
}
