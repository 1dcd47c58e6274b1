package dev.scaler.loop;

import dev.scaler.ScalerConfiguration;
import dev.scaler.execution.AnsibleRunner;
import dev.scaler.execution.ExecutionConfiguration;
import dev.scaler.execution.ServiceKey;
import dev.scaler.history.HistoryReadiness;
import dev.scaler.history.OpenAfterStart;
import dev.scaler.history.SchemaMigrationRunner;
import dev.scaler.leader.Leadership;
import dev.scaler.leader.LeadershipChange;
import dev.scaler.target.Target;
import dev.scaler.target.TargetRegistry;
import dev.scaler.target.Tick;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The thin loop: owns timing, one lock per owned service ({@link Target#key()}) and tick ids. It never runs
 * two evaluations of the same service at once (a tick that finds the previous one still running is skipped,
 * not queued), and survives any exception an evaluation throws.
 *
 * <p>Its own scheduler, not {@code @Scheduled}: Micronaut's scheduled methods kept firing during context
 * shutdown, on a new instance with fresh locks, and started a second playbook beside the first. Here
 * {@link #drain} stops the ticks, refuses every new evaluation, alert and manual scale, lets the playbooks in
 * flight finish within {@code scaler.execution.shutdown-grace} and kills the rest as process trees, recorded
 * {@code INTERRUPTED}, all while the database is still open.
 */
@Singleton
public class ScalingLoop implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(ScalingLoop.class);
    /** After the grace's kills, how long the killed runs get to record how they ended. */
    private static final Duration RECORD_AFTER_KILL = Duration.ofSeconds(5);

    private final TargetRegistry targets;
    /** Looked up at the first evaluation, so a context starts (and config tests bind) without the whole chain. */
    private final BeanProvider<TargetEvaluator> evaluator;
    private final StatusBoard board;
    private final LoopMetrics metrics;
    private final Clock clock;
    private final ScalerConfiguration configuration;
    private final AnsibleRunner runner;
    private final Duration grace;
    private final Recovery recovery;
    private final ExecutorService workers;
    private final ScheduledExecutorService ticker;
    private final Map<ServiceKey, AtomicBoolean> running = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean warmedUp = new AtomicBoolean();
    private final ShutdownState shutdown;
    private final Leadership leadership;
    private final HistoryReadiness readiness;
    private final SchemaMigrationRunner migrations;
    /** The service's main starts the loop after the HTTP server ({@link #startAfterServer}); a test's context at its start. */
    private final boolean afterServer;

    public ScalingLoop(TargetRegistry targets, BeanProvider<TargetEvaluator> evaluator, StatusBoard board, LoopMetrics metrics,
                       Clock clock, ScalerConfiguration configuration, ExecutionConfiguration execution,
                       AnsibleRunner runner, Recovery recovery, ShutdownState shutdown, Leadership leadership,
                       HistoryReadiness readiness, SchemaMigrationRunner migrations,
                       Optional<OpenAfterStart> openAfterStart) {
        this.targets = targets;
        this.evaluator = evaluator;
        this.board = board;
        this.metrics = metrics;
        this.clock = clock;
        this.configuration = configuration;
        this.runner = runner;
        this.grace = execution.shutdownGrace();
        this.recovery = recovery;
        this.shutdown = shutdown;
        this.leadership = leadership;
        this.readiness = readiness;
        this.migrations = migrations;
        this.afterServer = openAfterStart.isPresent();
        // a playbook starts only while this instance may act; checked after the run is registered, so a loss of
        // leadership either refuses it or finds it to kill (docs/ha.md)
        runner.requireBeforeEachRun(leadership::refusal);
        this.workers = WorkerPool.create(configuration.workers(), Duration.ofMinutes(1), daemon("scaler-worker"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("scaler-ticker"));
    }

    /**
     * In a context started by a test: {@link #begin} now, before the context's start returns, as it always was. In
     * the service the loop waits for {@link #startAfterServer}.
     */
    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (afterServer || !started.compareAndSet(false, true)) {
            return;
        }
        begin();
    }

    /**
     * The service's start, once its HTTP server answers: {@link #begin} on the ticker's thread, so the first tick
     * (the same thread) can only follow it. Until it completes the history is starting ({@link HistoryReadiness}).
     *
     * @return completes when the loop runs, exceptionally when the history could not be opened
     */
    public CompletionStage<Void> startAfterServer() {
        if (started.compareAndSet(false, true)) {
            ticker.execute(() -> {
                try {
                    begin();
                } catch (RuntimeException | Error e) {
                    readiness.markFailed(e);
                }
            });
        }
        return readiness.whenReady();
    }

    /**
     * Migrates the schema when that waited for the start, then, alone, closes what a previous Scaler left running,
     * then starts ticking. With an election the ticks run from now on but do nothing until this instance leads;
     * taking the lead closes what the previous leader left running ({@link #onLeadership}).
     */
    private void begin() {
        long startedAt = System.nanoTime();
        migrations.migrateDeferred();
        if (leadership.single()) {
            recovery.closeInterrupted();
        } else {
            leadership.start();
        }
        // ready before the first tick is scheduled: a tick that found the history not ready would do nothing
        readiness.markReady();
        ticker.scheduleWithFixedDelay(this::tickSafely, configuration.initialDelay().toMillis(),
                configuration.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("loop started: poll_interval={} initial_delay={} workers={} shutdown_grace={} history_ready_ms={}",
                configuration.pollInterval(), configuration.initialDelay(), configuration.workers(), grace,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            // a thrown exception would cancel every later tick of a scheduled executor
            LOG.error("tick failed: {}", e.toString(), e);
        }
    }

    void tick() {
        tickNow();
    }

    /**
     * Taking the lead: the previous leader's RUNNING actions are closed as INTERRUPTED (which makes every memory
     * read afresh from the shared history, cooldowns included), then a tick at once rather than a poll interval
     * later. Losing it: no evaluation, alert or manual scale starts any more ({@link Leadership#mayAct}) and the
     * playbooks running are killed, recorded INTERRUPTED with the reason.
     */
    @EventListener
    void onLeadership(LeadershipChange change) {
        if (change.leading()) {
            recovery.closeInterrupted("found still running when instance " + leadership.instanceId()
                    + " took the lead (epoch " + change.epoch() + "): the previous leader stopped before the run"
                    + " ended");
            if (!shutdown.stopping()) {
                ticker.execute(this::tickSafely);
            }
        } else {
            int killed = runner.interruptActive("leadership lost (" + change.reason() + ")");
            LOG.warn("leadership lost: killed {} running playbook(s), recorded INTERRUPTED; the loop stands by",
                    killed);
        }
    }

    /** True while this instance may act (it leads, or it is alone). */
    public boolean leading() {
        return leadership.mayAct();
    }

    /**
     * One tick over every target, as the scheduler runs it: the evaluations it started, to wait for (a benchmark
     * or a test); none for the targets whose previous evaluation still runs, or while stopping.
     */
    public List<CompletableFuture<TargetStatus>> tickNow() {
        if (shutdown.stopping() || !readiness.isReady()) {
            return List.of();
        }
        if (!leadership.mayAct()) {
            if (!leadership.single() && warmedUp.compareAndSet(false, true)) {
                warmUp();
            }
            return List.of();
        }
        Tick tick = Tick.ofLoop("t" + ticks.incrementAndGet());
        if (targets.all().isEmpty()) {
            board.completedEmptyPass(clock.instant());
            return List.of();
        }
        List<CompletableFuture<TargetStatus>> started = new ArrayList<>();
        for (Target target : targets.all()) {
            submit(target, tick).ifPresent(started::add);
        }
        return started;
    }

    /** A standby's one read-only pass over every target, so a takeover's first evaluation is not a cold one. */
    private void warmUp() {
        for (Target target : targets.all()) {
            try {
                evaluator.get().warmUp(target, Tick.alone("w" + ticks.incrementAndGet() + "-standby"));
            } catch (RuntimeException e) {
                LOG.info("target={} standby warm-up failed (the first evaluation after a takeover reads afresh): {}",
                        target.name(), e.toString());
            }
        }
    }

    /** True from the start of shutdown on: nothing new starts. */
    public boolean stopping() {
        return shutdown.stopping();
    }

    /** Evaluates one target now, unless an evaluation of its service is already running or Scaler is stopping. */
    public Optional<CompletableFuture<TargetStatus>> evaluateNow(String targetName, String reason) {
        if (stopping()) {
            LOG.info("target={} evaluation ({}) refused: Scaler is shutting down", targetName, reason);
            return Optional.empty();
        }
        if (!readiness.isReady()) {
            LOG.info("target={} evaluation ({}) refused: the history is {}", targetName, reason, readiness.state());
            return Optional.empty();
        }
        if (!leadership.mayAct()) {
            LOG.info("target={} evaluation ({}) refused: {}", targetName, reason, leadership.refusal());
            return Optional.empty();
        }
        return targets.find(targetName).flatMap(t -> submit(t, Tick.alone("n" + ticks.incrementAndGet() + "-" + reason)));
    }

    /**
     * Runs {@code work} (a manual scale) in the caller's thread while holding the lock of the target's service,
     * so it never overlaps an evaluation of it; empty, without running it, when the service is busy or Scaler
     * is stopping.
     */
    public <T> Optional<T> whileIdle(String targetName, Supplier<T> work) {
        Optional<Target> target = targets.find(targetName);
        if (target.isEmpty() || stopping() || !readiness.isReady() || !leadership.mayAct()) {
            return Optional.empty();
        }
        AtomicBoolean busy = lockOf(target.get());
        if (!busy.compareAndSet(false, true)) {
            return Optional.empty();
        }
        CompletableFuture<Void> marker = new CompletableFuture<>();
        inFlight.add(marker);
        try {
            if (stopping()) {
                return Optional.empty();
            }
            return Optional.of(work.get());
        } finally {
            busy.set(false);
            inFlight.remove(marker);
            marker.complete(null);
        }
    }

    private AtomicBoolean lockOf(Target target) {
        return running.computeIfAbsent(target.key(), k -> new AtomicBoolean());
    }

    private Optional<CompletableFuture<TargetStatus>> submit(Target target, Tick tick) {
        String tickId = tick.id();
        AtomicBoolean busy = lockOf(target);
        if (!busy.compareAndSet(false, true)) {
            LOG.info("tick={} target={} skipped: the previous evaluation of {} is still running", tickId,
                    target.name(), target.key());
            metrics.skippedTick(target.name());
            return Optional.empty();
        }
        try {
            // the worker is free once the target is decided (and acted on); a decision that acts on nothing is
            // committed a moment later with others, and the evaluation is done when it is
            CompletableFuture<TargetStatus> future = CompletableFuture.supplyAsync(() -> {
                try {
                    return evaluator.get().evaluateAndStore(target, tick);
                } catch (RuntimeException e) {
                    LOG.error("tick={} target={} evaluation failed: {}", tickId, target.name(), e.toString(), e);
                    throw e;
                } finally {
                    busy.set(false);
                }
            }, workers).thenCompose(done -> done.written().handle((id, error) -> {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    LOG.error("tick={} target={} evaluation failed: its decision was not stored: {}", tickId,
                            target.name(), cause.toString());
                    throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
                }
                return done.status();
            }));
            inFlight.add(future);
            future.whenComplete((status, error) -> inFlight.remove(future));
            return Optional.of(future);
        } catch (RuntimeException e) {
            busy.set(false);
            LOG.error("tick={} target={} could not be scheduled: {}", tickId, target.name(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Graceful stop; idempotent. Runs at the start of shutdown, before the HTTP server and the database close.
     */
    public void drain(String why) {
        if (!shutdown.begin(clock.instant())) {
            return;
        }
        runner.refuseNewRuns();
        ticker.shutdownNow();
        int evaluations = inFlight.size();
        LOG.info("shutdown ({}): no new evaluation, alert or manual scale starts; waiting up to {} for {} running"
                + " (playbooks running: {})", why, grace, evaluations, runner.activeRuns());
        boolean done = awaitInFlight(grace);
        if (!done) {
            int killed = runner.interruptAll();
            LOG.warn("shutdown: the grace of {} ran out: killed {} playbook run(s) with every process they started;"
                    + " recorded INTERRUPTED", grace, killed);
            done = awaitInFlight(RECORD_AFTER_KILL);
        }
        workers.shutdown();
        LOG.info("shutdown: loop stopped ({})", done ? "every evaluation recorded its outcome"
                : inFlight.size() + " evaluation(s) still running; the next start closes their actions as INTERRUPTED");
        leadership.release("stopped (" + why + ")");
    }

    private boolean awaitInFlight(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!inFlight.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                inFlight.iterator().next().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (java.util.NoSuchElementException e) {
                // the last one ended between the check and the look
            } catch (Exception e) {
                // the evaluation failed; it is over all the same
            }
        }
        return true;
    }

    /** Context shutdown (tests, or a stop that did not come through the JVM's shutdown hook). */
    @EventListener
    void onShutdown(ShutdownEvent event) {
        drain("context stopping");
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
