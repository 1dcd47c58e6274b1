package dev.scaler.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.scaler.api.ApiConfiguration;
import dev.scaler.loop.ScalingLoop;
import dev.scaler.target.TargetRegistry;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a validated Alertmanager notification does: every alert whose label {@value #TARGET_LABEL} (or
 * {@value #SHORT_TARGET_LABEL}) names a configured target causes one evaluation of that target, a normal
 * decision through the decider with its cooldowns and limits; nothing is scaled blindly. Firing and
 * resolved alike: the decision is made on the metric, the alert only says "look now".
 */
@Singleton
public class AlertWebhook {

    public static final String TARGET_LABEL = "scaler_target";
    public static final String SHORT_TARGET_LABEL = "target";
    static final int DEDUPE_CAPACITY = 10_000;
    /** A playbook may run up to its timeout; past that the next tick or resend answers the alert anyway. */
    static final Duration RETRY_EVERY = Duration.ofMillis(500);
    static final int RETRY_ATTEMPTS = 600;
    private static final Logger LOG = LoggerFactory.getLogger(AlertWebhook.class);

    /** The 202 body: what was done with each alert; empty lists are sent, so a client need not guess. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Receipt(int received, List<Evaluation> evaluations, int duplicates, List<String> unknownTargets,
                         int withoutTarget) {
    }

    /**
     * One evaluation triggered; {@code tickReason} ends the tick id recorded in history. {@code queued}: an
     * evaluation of the target was running, so this one starts as soon as it ends (it started before the alert
     * came, so it is no answer to it).
     */
    @Serdeable
    public record Evaluation(String target, List<String> alerts, String status, String tickReason, boolean queued) {
    }

    private final TargetRegistry targets;
    private final ScalingLoop loop;
    private final Clock clock;
    private final AlertDeduplicator dedupe;
    private final TaskScheduler scheduler;

    public AlertWebhook(TargetRegistry targets, ScalingLoop loop, Clock clock, ApiConfiguration configuration,
                        @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.targets = targets;
        this.scheduler = scheduler;
        this.loop = loop;
        this.clock = clock;
        this.dedupe = new AlertDeduplicator(configuration.alertDedupeWindow(), DEDUPE_CAPACITY);
    }

    /**
     * Acts on a payload {@link AlertsController} has validated. Synchronized: a duplicate sent twice at once is
     * still acted on once.
     */
    public synchronized Receipt handle(AlertmanagerPayload payload) {
        if (loop.stopping()) {
            // not remembered as acted on: Alertmanager resends to the next Scaler
            throw new ShuttingDown();
        }
        Instant now = clock.instant();
        int duplicates = 0;
        int withoutTarget = 0;
        List<String> unknown = new ArrayList<>();
        Map<String, List<AlertmanagerPayload.Alert>> byTarget = new LinkedHashMap<>();
        for (AlertmanagerPayload.Alert alert : payload.alerts()) {
            String target = targetOf(alert);
            if (target == null) {
                withoutTarget++;
            } else if (dedupe.seen(alert.dedupeKey(), now)) {
                duplicates++;
                LOG.info("alert={} status={} target={} ignored: already acted on (fingerprint={} startsAt={})",
                        tickSafe(name(alert)), alert.status(), tickSafe(target), tickSafe(String.valueOf(
                                alert.fingerprint())), tickSafe(String.valueOf(alert.startsAt())));
            } else if (targets.find(target).isEmpty()) {
                if (!unknown.contains(target)) {
                    unknown.add(target);
                }
                LOG.warn("alert={} status={} names target={} which is not configured; ignored",
                        tickSafe(name(alert)), alert.status(), tickSafe(target));
            } else {
                byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(alert);
            }
        }
        List<Evaluation> evaluations = new ArrayList<>();
        byTarget.forEach((target, alerts) -> {
            boolean firing = alerts.stream().anyMatch(a -> "firing".equals(a.status()));
            String status = firing ? "firing" : "resolved";
            AlertmanagerPayload.Alert first = alerts.stream().filter(a -> status.equals(a.status())).findFirst()
                    .orElseThrow();
            String tickReason = "alert-" + tickSafe(name(first)) + (firing ? "" : "-resolved");
            // tick-safe names: label values are the sender's text and go into log lines
            List<String> names = alerts.stream().map(a -> tickSafe(name(a))).distinct().toList();
            alerts.forEach(a -> dedupe.remember(a.dedupeKey(), now));
            boolean started = loop.evaluateNow(target, tickReason).isPresent();
            if (!started) {
                scheduler.schedule(RETRY_EVERY, () -> retry(target, tickReason, 1));
            }
            evaluations.add(new Evaluation(target, names, status, tickReason, !started));
            LOG.info("target={} evaluation {} by alert {} ({}) receiver={} reason=\"{}\"", target,
                    started ? "triggered" : "queued behind the running one", names, status,
                    tickSafe(String.valueOf(payload.receiver())), tickReason);
        });
        return new Receipt(payload.alerts().size(), evaluations, duplicates, unknown, withoutTarget);
    }

    /** Tries again until the running evaluation (or manual scale) of the target is over, for a bounded time. */
    private void retry(String target, String tickReason, int attempt) {
        if (loop.stopping()) {
            LOG.info("target={} alert evaluation {} dropped: Scaler is shutting down", target, tickReason);
            return;
        }
        if (loop.evaluateNow(target, tickReason).isPresent()) {
            return;
        }
        if (attempt >= RETRY_ATTEMPTS) {
            LOG.warn("target={} alert evaluation {} dropped: the target stayed busy for {}", target, tickReason,
                    RETRY_EVERY.multipliedBy(RETRY_ATTEMPTS));
            return;
        }
        scheduler.schedule(RETRY_EVERY, () -> retry(target, tickReason, attempt + 1));
    }

    static String targetOf(AlertmanagerPayload.Alert alert) {
        String t = alert.label(TARGET_LABEL);
        if (t == null || t.isBlank()) {
            t = alert.label(SHORT_TARGET_LABEL);
        }
        return t == null || t.isBlank() ? null : t.strip();
    }

    private static String name(AlertmanagerPayload.Alert alert) {
        String n = alert.label("alertname");
        return n == null || n.isBlank() ? "unnamed" : n;
    }

    /** Sender's text as it can appear in a tick id or a log line: no spaces, quotes or line breaks, short. */
    static String tickSafe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_.:-]", "_");
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    /** Scaler is shutting down: no alert starts an evaluation (answered 503, so Alertmanager retries). */
    public static final class ShuttingDown extends RuntimeException {
        ShuttingDown() {
            super("Scaler is shutting down; no alert is acted on now (Alertmanager will send it again)");
        }
    }
}
