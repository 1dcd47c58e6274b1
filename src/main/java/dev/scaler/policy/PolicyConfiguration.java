package dev.scaler.policy;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the policy file is and how often it is checked for changes ({@code scaler.policy-file},
 * {@code scaler.policy-reload-interval}). Read and checked by {@code dev.scaler.config.Configurations}.
 *
 * @param policyFile           YAML file of targets (docs/policy.md); none when unset
 * @param policyReloadInterval time between two checks of the file's content
 */
public record PolicyConfiguration(
        @Nullable Path policyFile,
        Duration policyReloadInterval) {

    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);

    public PolicyConfiguration {
        if (policyReloadInterval == null || (policyReloadInterval.isNegative() || policyReloadInterval.isZero())) {
            throw new ConfigurationException("scaler.policy-reload-interval: must be more than 0, got " + policyReloadInterval);
        }
    }
}
