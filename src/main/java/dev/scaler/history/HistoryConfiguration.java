package dev.scaler.history;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How long history is kept and how often old rows are purged.
 *
 * @param retention     decisions (and their actions) older than this are deleted; must exceed every
 *                      cooldown and stabilization window, or a restart would forget them
 * @param purgeInterval pause between purges
 */
@ConfigurationProperties("scaler.history")
public record HistoryConfiguration(@Bindable(defaultValue = "30d") Duration retention,
                                   @Bindable(defaultValue = "1h") Duration purgeInterval) {

    public HistoryConfiguration {
        if (retention == null || retention.isZero() || retention.isNegative()) {
            throw new IllegalArgumentException("scaler.history.retention must be positive, was " + retention);
        }
        if (purgeInterval == null || purgeInterval.isZero() || purgeInterval.isNegative()) {
            throw new IllegalArgumentException("scaler.history.purge-interval must be positive, was " + purgeInterval);
        }
    }
}
