package dev.scaler.config;

import io.micronaut.scheduling.TaskScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Runs a task again and again with a delay taken from the typed configuration, instead of
 * {@code @Scheduled("${key}")}: that would parse the key's text a second time, with Micronaut's narrower
 * grammar, and refuse a value Scaler accepted ({@code 1D}, {@code 15 s}) with a message that names no key.
 */
public final class FixedDelay {

    private static final Logger LOG = LoggerFactory.getLogger(FixedDelay.class);

    private FixedDelay() {
    }

    /** A failed run is logged and the next one still comes, as with {@code @Scheduled}. */
    public static void schedule(TaskScheduler scheduler, String name, Duration initialDelay, Duration delay,
                                Runnable task) {
        scheduler.scheduleWithFixedDelay(initialDelay, delay, () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed; it runs again in {}", name, delay, e);
            }
        });
    }
}
