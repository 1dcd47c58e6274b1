package dev.scaler.loop;

import dev.scaler.ScalerConfiguration;
import dev.scaler.target.Target;
import dev.scaler.target.TargetRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The thin loop: owns timing, one lock per target and tick ids. It never runs two evaluations of the
 * same target at once (a tick that finds the previous one still running is skipped, not queued), and
 * survives any exception an evaluation throws.
 */
@Singleton
public class ScalingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ScalingLoop.class);

    private final TargetRegistry targets;
    private final TargetEvaluator evaluator;
    private final StatusBoard board;
    private final LoopMetrics metrics;
    private final Clock clock;
    private final ExecutorService workers;
    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
    private final AtomicLong ticks = new AtomicLong();

    public ScalingLoop(TargetRegistry targets, TargetEvaluator evaluator, StatusBoard board, LoopMetrics metrics,
                       Clock clock, ScalerConfiguration configuration) {
        this.targets = targets;
        this.evaluator = evaluator;
        this.board = board;
        this.metrics = metrics;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(configuration.workers(), r -> {
            Thread t = new Thread(r, "scaler-worker");
            t.setDaemon(true);
            return t;
        });
    }

    @Scheduled(fixedDelay = "${scaler.poll-interval:15s}", initialDelay = "${scaler.initial-delay:1s}")
    void tick() {
        long tick = ticks.incrementAndGet();
        if (targets.all().isEmpty()) {
            board.completedEmptyPass(clock.instant());
            return;
        }
        for (Target target : targets.all()) {
            submit(target, "t" + tick);
        }
    }

    /** Evaluates one target now, unless an evaluation of it is already running. */
    public Optional<CompletableFuture<TargetStatus>> evaluateNow(String targetName, String reason) {
        return targets.find(targetName).flatMap(t -> submit(t, "n" + ticks.incrementAndGet() + "-" + reason));
    }

    /**
     * Runs {@code work} (a manual scale) in the caller's thread while holding the target's evaluation lock,
     * so it never overlaps an evaluation of that target; empty, without running it, when the target is busy.
     */
    public <T> Optional<T> whileIdle(String targetName, Supplier<T> work) {
        AtomicBoolean busy = running.computeIfAbsent(targetName, k -> new AtomicBoolean());
        if (!busy.compareAndSet(false, true)) {
            return Optional.empty();
        }
        try {
            return Optional.of(work.get());
        } finally {
            busy.set(false);
        }
    }

    private Optional<CompletableFuture<TargetStatus>> submit(Target target, String tickId) {
        AtomicBoolean busy = running.computeIfAbsent(target.name(), k -> new AtomicBoolean());
        if (!busy.compareAndSet(false, true)) {
            LOG.info("tick={} target={} skipped: the previous evaluation is still running", tickId, target.name());
            metrics.skippedTick(target.name());
            return Optional.empty();
        }
        try {
            return Optional.of(CompletableFuture.supplyAsync(() -> {
                try {
                    return evaluator.evaluate(target, tickId);
                } catch (RuntimeException e) {
                    LOG.error("tick={} target={} evaluation failed: {}", tickId, target.name(), e.toString(), e);
                    throw e;
                } finally {
                    busy.set(false);
                }
            }, workers));
        } catch (RuntimeException e) {
            busy.set(false);
            LOG.error("tick={} target={} could not be scheduled: {}", tickId, target.name(), e.toString());
            return Optional.empty();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        workers.shutdown();
        if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
            workers.shutdownNow();
        }
    }
}
