package dev.scaler.target;

import dev.scaler.decision.Policy;
import dev.scaler.execution.ComposeService;

import java.util.Objects;

/**
 * One validated thing Scaler scales: where its load comes from, which compose service it is and how it
 * is scaled.
 *
 * @param name    the key under {@code scaler.targets}; names it in logs, history, metrics and the API
 * @param query   PromQL returning the load as one series
 * @param compose the compose service the playbook scales and docker-java counts
 * @param policy  how it is scaled
 * @param dryRun  decide and record, execute nothing, for this target only
 */
public record Target(String name, String query, ComposeService compose, Policy policy, boolean dryRun) {

    public Target {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(compose, "compose");
        Objects.requireNonNull(policy, "policy");
    }
}
