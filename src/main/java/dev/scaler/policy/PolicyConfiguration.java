package dev.scaler.policy;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the policy file is and how often it is checked for changes ({@code scaler.policy-file},
 * {@code scaler.policy-reload-interval}).
 *
 * @param policyFile           YAML file of targets (docs/policy.md); none when unset
 * @param policyReloadInterval time between two checks of the file's content
 */
@ConfigurationProperties("scaler")
public record PolicyConfiguration(
        @Nullable Path policyFile,
        @NotNull @Bindable(defaultValue = "5s") Duration policyReloadInterval) {

    public PolicyConfiguration {
        if (policyReloadInterval != null && (policyReloadInterval.isNegative() || policyReloadInterval.isZero())) {
            throw new ConfigurationException("scaler.policy-reload-interval must be positive, got " + policyReloadInterval);
        }
    }
}
