package dev.scaler.target;

import dev.scaler.decision.MetricRule;
import dev.scaler.decision.Policy;
import dev.scaler.execution.ComposeService;
import dev.scaler.forecast.ForecastSettings;
import dev.scaler.fleet.FleetSpec;
import dev.scaler.swarm.SwarmService;

import java.util.List;
import java.util.Objects;

/**
 * One validated thing Scaler scales: where its load comes from, which compose service it is and how it
 * is scaled.
 *
 * @param name    the key under {@code scaler.targets}; names it in logs, history, metrics and the API
 * @param query   PromQL returning the load as one series
 * @param compose the compose service the playbook scales and docker-java counts; null for a fleet or swarm target
 * @param fleet   the inventory group a fleet target is spread over; null for a local target
 * @param policy  how it is scaled
 * @param dryRun  decide and record, execute nothing, for this target only
 * @param metrics what the target is scaled on (docs/metrics.md): the {@code query} shorthand as one tracking
 *                metric, then the {@code metrics} list; null or empty means the shorthand alone. {@code query}
 *                may be null only when this list is given.
 * @param swarm   the Docker Swarm service scaled instead of a compose service; null otherwise
 * @param forecast how it forecasts its load ({@code predictive*}, docs/forecast.md); off by default
 */
public record Target(String name, String query, ComposeService compose, FleetSpec fleet, Policy policy,
                     boolean dryRun, List<MetricRule> metrics, SwarmService swarm, ForecastSettings forecast) {

    /** A target that decides reactively. */
    public Target(String name, String query, ComposeService compose, FleetSpec fleet, Policy policy, boolean dryRun,
                  List<MetricRule> metrics, SwarmService swarm) {
        this(name, query, compose, fleet, policy, dryRun, metrics, swarm, ForecastSettings.DEFAULTS);
    }

    /** A target scaled on its {@code query} alone, as before several metrics existed. */
    public Target(String name, String query, ComposeService compose, FleetSpec fleet, Policy policy, boolean dryRun) {
        this(name, query, compose, fleet, policy, dryRun, null, null);
    }

    /** A compose or fleet target. */
    public Target(String name, String query, ComposeService compose, FleetSpec fleet, Policy policy, boolean dryRun,
                  List<MetricRule> metrics) {
        this(name, query, compose, fleet, policy, dryRun, metrics, null);
    }

    public Target {
        Objects.requireNonNull(name, "name");
        if (metrics == null || metrics.isEmpty()) {
            Objects.requireNonNull(query, "query");
            metrics = List.of(MetricRule.shorthand(query));
        } else {
            metrics = List.copyOf(metrics);
        }
        Objects.requireNonNull(policy, "policy");
        forecast = forecast == null ? ForecastSettings.DEFAULTS : forecast;
        if ((compose != null ? 1 : 0) + (fleet != null ? 1 : 0) + (swarm != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException("target " + name
                    + " needs exactly one of a compose service, a fleet or a swarm service");
        }
    }

    public boolean isFleet() {
        return fleet != null;
    }

    public boolean isSwarm() {
        return swarm != null;
    }

    /** What the target owns; at most one target per key (refused at startup and on reload). */
    public dev.scaler.execution.ServiceKey key() {
        return isSwarm() ? swarm.key() : isFleet() ? fleet.key() : compose.key();
    }

    /** What the target scales, for logs and the API: the compose service, the fleet's group or the swarm service. */
    public String describe() {
        if (isSwarm()) {
            return "swarm service " + swarm.name();
        }
        return isFleet() ? "group " + fleet.group() + " of " + fleet.inventory()
                : "service " + compose.service() + " of project " + compose.projectName();
    }
}
