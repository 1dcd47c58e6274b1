package dev.scaler.history;

import java.time.Duration;

/**
 * How long history is kept and how often old rows are purged ({@code scaler.history.*}). Read and checked
 * by {@code dev.scaler.config.Configurations}; the defaults are the constants here.
 *
 * @param retention     decisions (and their actions) older than this are deleted; must exceed every
 *                      cooldown and stabilization window, or a restart would forget them
 * @param purgeInterval pause between purges
 */
public record HistoryConfiguration(Duration retention, Duration purgeInterval) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofHours(1);

    public HistoryConfiguration {
        if (retention == null || retention.isZero() || retention.isNegative()) {
            throw new IllegalArgumentException("scaler.history.retention: must be more than 0, got " + retention);
        }
        if (purgeInterval == null || purgeInterval.isZero() || purgeInterval.isNegative()) {
            throw new IllegalArgumentException("scaler.history.purge-interval: must be more than 0, got "
                    + purgeInterval);
        }
    }
}
