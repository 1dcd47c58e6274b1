package dev.scaler.history;

import dev.scaler.config.FixedDelay;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/** Deletes history older than the configured retention, so the database does not grow forever. */
@Singleton
public class HistoryRetention {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryRetention.class);

    private final HistoryStore store;
    private final HistoryConfiguration configuration;
    private final Clock clock;

    private WriteFence fence = WriteFence.NONE;

    public HistoryRetention(HistoryStore store, HistoryConfiguration configuration, Clock clock) {
        this.store = store;
        this.configuration = configuration;
        this.clock = clock;
    }

    /** With several instances on one database only the leader purges. */
    @jakarta.inject.Inject
    public HistoryRetention(HistoryStore store, HistoryConfiguration configuration, Clock clock, WriteFence fence) {
        this(store, configuration, clock);
        this.fence = fence;
    }

    /** Runs at startup too, so a Scaler that is restarted often still purges; once the history is ready. */
    @EventListener
    void schedule(StartupEvent started) {
        TaskScheduler scheduler = started.getSource().getBean(TaskScheduler.class, Qualifiers.byName(TaskExecutors.SCHEDULED));
        started.getSource().getBean(HistoryReadiness.class).whenReady().thenRun(() -> FixedDelay.schedule(scheduler,
                "history purge", Duration.ZERO, configuration.purgeInterval(), this::purge));
    }

    public int purge() {
        if (!fence.writes()) {
            return 0; // the leader purges
        }
        var cutoff = clock.instant().minus(configuration.retention());
        int deleted = store.purgeOlderThan(cutoff);
        LOG.info("Purged {} decisions older than {} (retention {})", deleted, cutoff, configuration.retention());
        return deleted;
    }
}
