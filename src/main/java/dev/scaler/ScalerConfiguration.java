package dev.scaler;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Settings of the scaling loop itself, under {@code scaler.}. Target settings live in
 * {@code scaler.targets.<name>}; Prometheus, execution and history have their own prefixes.
 *
 * @param pollInterval time between two evaluations of each target
 * @param dryRun       decide and record, but execute nothing (for every target)
 * @param workers      targets evaluated in parallel
 * @param initialDelay delay before the first evaluation
 */
@ConfigurationProperties("scaler")
public record ScalerConfiguration(
        @NotNull @Bindable(defaultValue = "15s") Duration pollInterval,
        @Bindable(defaultValue = "false") boolean dryRun,
        @Min(1) @Max(256) @Bindable(defaultValue = "8") int workers,
        @NotNull @Bindable(defaultValue = "1s") Duration initialDelay) {

    public ScalerConfiguration(Duration pollInterval, boolean dryRun, int workers) {
        this(pollInterval, dryRun, workers, Duration.ofSeconds(1));
    }

    public ScalerConfiguration {
        if (pollInterval != null && (pollInterval.isNegative() || pollInterval.isZero())) {
            throw new io.micronaut.context.exceptions.ConfigurationException(
                    "scaler.poll-interval must be positive, got " + pollInterval);
        }
    }
}
