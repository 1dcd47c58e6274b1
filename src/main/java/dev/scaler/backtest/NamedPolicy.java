package dev.scaler.backtest;

import dev.scaler.decision.Policy;

import java.util.Objects;

/** A policy under test and the name its results are reported by (the target's name in the file). */
public record NamedPolicy(String name, Policy policy) {

    public NamedPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
    }
}
