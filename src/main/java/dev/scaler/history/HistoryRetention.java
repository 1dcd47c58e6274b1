package dev.scaler.history;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/** Deletes history older than the configured retention, so the database does not grow forever. */
@Singleton
public class HistoryRetention {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryRetention.class);

    private final HistoryStore store;
    private final HistoryConfiguration configuration;
    private final Clock clock;

    public HistoryRetention(HistoryStore store, HistoryConfiguration configuration, Clock clock) {
        this.store = store;
        this.configuration = configuration;
        this.clock = clock;
    }

    /** Runs at startup too, so a Scaler that is restarted often still purges. */
    @Scheduled(fixedDelay = "${scaler.history.purge-interval:1h}")
    public int purge() {
        var cutoff = clock.instant().minus(configuration.retention());
        int deleted = store.purgeOlderThan(cutoff);
        LOG.info("Purged {} decisions older than {} (retention {})", deleted, cutoff, configuration.retention());
        return deleted;
    }
}
