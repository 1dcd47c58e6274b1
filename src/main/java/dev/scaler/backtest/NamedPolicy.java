package dev.scaler.backtest;

import dev.scaler.decision.Policy;
import dev.scaler.forecast.ForecastSettings;

import java.util.Objects;

/**
 * A policy under test and the name its results are reported by (the target's name in the file), with its
 * forecast settings ({@link ForecastSettings#DEFAULTS}: off, reactive only).
 */
public record NamedPolicy(String name, Policy policy, ForecastSettings forecast) {

    public NamedPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(forecast, "forecast");
    }

    public NamedPolicy(String name, Policy policy) {
        this(name, policy, ForecastSettings.DEFAULTS);
    }
}
