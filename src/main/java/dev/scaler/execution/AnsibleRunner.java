package dev.scaler.execution;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.PumpStreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Runs ansible-playbook and reports how it ended. Never throws for a failed run: a missing binary,
 * a non-zero exit and a timeout all come back as a {@link PlaybookResult}.
 *
 * <p>A run that changes a service ({@link PlaybookRun#lock()}) runs under {@code flock LOCKFILE
 * ansible-playbook ...}: the lock is held by the open file that flock and ansible-playbook share, not by
 * this JVM, so it outlives a Scaler that is killed with -9 while the playbook goes on. The next Scaler's run
 * for the same service waits in flock until the orphan is done, so two playbooks never work on one
 * service at once. Operators running the playbook by hand can take the same lock (README).
 *
 * <p>At shutdown {@link #refuseNewRuns()} stops new runs from starting and {@link #interruptAll()} kills
 * the runs still going, as whole process trees; both end as {@link ActionOutcome#INTERRUPTED}.
 */
@Singleton
public class AnsibleRunner {

    private static final Logger LOG = LoggerFactory.getLogger(AnsibleRunner.class);
    static final int TAIL_LINES = 200;
    /**
     * How long to wait for the output pumps after the process ended, in case something it left behind
     * still holds stdout open. commons-exec adds a fixed 2 s per pump (stdout, stderr), so the worst
     * case is about 5 s; the normal case is unaffected because the pumps see end-of-file at once.
     */
    private static final Duration STREAM_STOP_TIMEOUT = Duration.ofMillis(500);

    /** flock's exit code when it could not get the lock within {@code -w}; EX_TEMPFAIL. */
    static final int LOCK_BUSY_EXIT = 75;

    private final String ansiblePlaybook;
    private final Map<String, String> environment;
    private final Path lockDir;
    private final Set<ProcessTreeWatchdog> active = ConcurrentHashMap.newKeySet();
    /** Why each killed run was killed, when not at shutdown. */
    private final Map<ProcessTreeWatchdog, String> killedBecause = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    /** Null while a run may start, otherwise why not (the leader election, docs/ha.md). */
    private volatile java.util.function.Supplier<String> refusal = () -> null;

    @Inject
    public AnsibleRunner(ExecutionConfiguration configuration) {
        this(configuration.ansiblePlaybook(), configuration.ansibleConfig(), configuration.lockDir(),
                configuration.passEnvironment());
    }

    public AnsibleRunner(String ansiblePlaybook, Path ansibleConfig) {
        this(ansiblePlaybook, ansibleConfig, ExecutionConfiguration.DEFAULT_LOCK_DIR, List.of());
    }

    /** @param passEnvironment the operator's {@code scaler.execution.pass-environment} */
    public AnsibleRunner(String ansiblePlaybook, Path ansibleConfig, List<String> passEnvironment) {
        this(ansiblePlaybook, ansibleConfig, ExecutionConfiguration.DEFAULT_LOCK_DIR, passEnvironment);
    }

    public AnsibleRunner(String ansiblePlaybook, Path ansibleConfig, Path lockDir) {
        this(ansiblePlaybook, ansibleConfig, lockDir, List.of());
    }

    public AnsibleRunner(String ansiblePlaybook, Path ansibleConfig, Path lockDir, List<String> passEnvironment) {
        this.ansiblePlaybook = Objects.requireNonNull(ansiblePlaybook, "ansiblePlaybook");
        this.environment = environment(ansibleConfig, passEnvironment);
        this.lockDir = lockDir.toAbsolutePath();
    }

    /** From now on a run ends {@link ActionOutcome#INTERRUPTED} at once, without starting (shutdown). */
    public void refuseNewRuns() {
        stopping = true;
    }

    /** Kills every run still going, with all it started; they end {@link ActionOutcome#INTERRUPTED}. */
    public int interruptAll() {
        stopping = true;
        int killed = 0;
        for (ProcessTreeWatchdog run : active) {
            run.interrupt();
            killed++;
        }
        return killed;
    }

    /**
     * Checked before each run starts, after the run is registered: a refusal (non-null) ends it INTERRUPTED
     * without starting it. Whoever makes it refuse calls {@link #interruptActive} afterwards.
     */
    public void requireBeforeEachRun(java.util.function.Supplier<String> refusal) {
        this.refusal = Objects.requireNonNull(refusal, "refusal");
    }

    /**
     * Kills every run going on now, with all it started, recording {@code why}; unlike {@link #interruptAll}
     * later runs may still start (this instance may lead again).
     */
    public int interruptActive(String why) {
        int killed = 0;
        for (ProcessTreeWatchdog run : active) {
            killedBecause.put(run, why);
            run.interrupt();
            killed++;
        }
        return killed;
    }

    /** Runs going on now. */
    public int activeRuns() {
        return active.size();
    }

    /** The lock file of {@code key}: the same path for every Scaler with this lock directory. */
    public Path lockFile(ServiceKey key) {
        return lockDir.resolve(key.lockFileName());
    }

    public PlaybookResult run(String target, PlaybookRun run) {
        return run(target, run, line -> { });
    }

    /** Runs and also hands every output line to {@code lines}, for callers that read results from the output. */
    public PlaybookResult run(String target, PlaybookRun run, Consumer<String> lines) {
        Instant started = Instant.now();
        OutputTail tail = new OutputTail(TAIL_LINES);
        if (stopping) {
            tail.add("scaler: not started: Scaler is shutting down");
            LOG.warn("ansible-playbook for {} not started: Scaler is shutting down", target);
            return new PlaybookResult(ActionOutcome.INTERRUPTED, null, started, Instant.now(), tail.text());
        }
        Path varsFile = null;
        try {
            if (run.lock() != null) {
                Files.createDirectories(lockDir);
            }
            varsFile = ExtraVarsFile.write(run.variables());
            return execute(target, run, varsFile, tail, lines, started);
        } catch (IOException e) {
            tail.add("scaler: could not prepare the extra variables file: " + e.getMessage());
            LOG.warn("ansible-playbook for {} not started: {}", target, e.toString());
            return new PlaybookResult(ActionOutcome.FAILED, null, started, Instant.now(), tail.text());
        } finally {
            deleteQuietly(target, varsFile);
        }
    }

    /**
     * The argv, one argument at a time and never through a shell, so no value is re-split or quoted. A run
     * holding a lock is {@code flock --verbose -w TIMEOUT -E 75 LOCKFILE ansible-playbook ...}; flock waits at
     * most the run's timeout, which the watchdog enforces anyway.
     */
    CommandLine commandLine(PlaybookRun run, Path varsFile) {
        CommandLine command;
        if (run.lock() == null) {
            command = new CommandLine(ansiblePlaybook);
        } else {
            command = new CommandLine("flock");
            for (String argument : List.of("--verbose", "-w", Long.toString(Math.max(1, run.timeout().toSeconds())),
                    "-E", Integer.toString(LOCK_BUSY_EXIT), lockFile(run.lock()).toString(), ansiblePlaybook)) {
                command.addArgument(argument, false);
            }
        }
        for (String argument : arguments(run, varsFile)) {
            command.addArgument(argument, false);
        }
        return command;
    }

    List<String> arguments(PlaybookRun run, Path varsFile) {
        List<String> arguments = new ArrayList<>(List.of(
                "-i", run.inventory().toAbsolutePath().toString(),
                "-e", "@" + varsFile.toAbsolutePath()));
        if (run.check()) {
            arguments.add("--check");
        }
        if (run.forks() > 0) {
            arguments.add("--forks");
            arguments.add(Integer.toString(run.forks()));
        }
        arguments.add(run.playbook().toAbsolutePath().toString());
        return arguments;
    }

    Map<String, String> environment() {
        return new HashMap<>(environment);
    }

    /**
     * The environment every Ansible tool Scaler runs gets: the allowlist of {@link AnsibleEnvironment} over
     * Scaler's own environment, the repository's ansible.cfg, plain text output.
     */
    public static Map<String, String> environment(Path ansibleConfig, List<String> passEnvironment) {
        return AnsibleEnvironment.of(System.getenv(), passEnvironment, ansibleConfig);
    }

    private PlaybookResult execute(String target, PlaybookRun run, Path varsFile, OutputTail tail,
                                   Consumer<String> lines, Instant started) {
        ProcessTreeWatchdog watchdog = new ProcessTreeWatchdog(run.timeout());
        // Two sinks over one tail: a LogOutputStream buffers partial lines and is not safe for two pumps.
        PumpStreamHandler streams = new PumpStreamHandler(new LineSink(target, tail, lines),
                new LineSink(target, tail, lines));
        streams.setStopTimeout(STREAM_STOP_TIMEOUT);
        DefaultExecutor executor = DefaultExecutor.builder().setExecuteStreamHandler(streams).get();
        executor.setWatchdog(watchdog);
        executor.setExitValues(null); // every exit code is an answer, not an exception
        CommandLine command = commandLine(run, varsFile);
        if (run.lock() != null) {
            OptionalLong holder = LockHolder.of(lockFile(run.lock()));
            if (holder.isPresent()) {
                String waiting = "scaler: waiting for the lock of " + run.lock() + " (" + lockFile(run.lock())
                        + "), held by pid " + holder.getAsLong() + ": a run still going, perhaps of an earlier Scaler";
                tail.add(waiting);
                LOG.warn("ansible-playbook for {}: {}", target, waiting.substring("scaler: ".length()));
            }
        }
        LOG.info("ansible-playbook for {} starting: playbook={} check={} timeout={} lock={}",
                target, run.playbook(), run.check(), run.timeout(), run.lock() == null ? "none" : run.lock());
        Integer exitCode = null;
        String failure = null;
        active.add(watchdog);
        if (stopping) {
            watchdog.interrupt(); // refused between the check in run() and now: never starts
        }
        String refused = refusal.get();
        if (refused != null) {
            active.remove(watchdog);
            tail.add("scaler: ansible-playbook not started: " + refused);
            LOG.warn("ansible-playbook for {} not started: {}", target, refused);
            return new PlaybookResult(ActionOutcome.INTERRUPTED, null, started, Instant.now(), tail.text());
        }
        try {
            exitCode = executor.execute(command, environment());
        } catch (IOException e) {
            OptionalInt exited = watchdog.exitCode();
            if (exited.isPresent()) {
                // It ran and exited, but something it left behind still held stdout open and the
                // stream stop timeout gave up on it: the exit code is still the answer.
                exitCode = exited.getAsInt();
                tail.add("scaler: output may be incomplete: " + e.getMessage());
            } else {
                failure = e.getMessage(); // failed to start, e.g. the binary is missing
            }
        }
        active.remove(watchdog);
        String because = killedBecause.remove(watchdog);
        Instant ended = Instant.now();
        PlaybookResult result;
        if (watchdog.interrupted() && because != null) {
            tail.add("scaler: ansible-playbook killed, with every process it started: " + because);
            result = new PlaybookResult(ActionOutcome.INTERRUPTED, null, started, ended, tail.text());
        } else if (watchdog.interrupted()) {
            tail.add("scaler: ansible-playbook killed at shutdown, with every process it started: the shutdown"
                    + " grace ran out before it ended");
            result = new PlaybookResult(ActionOutcome.INTERRUPTED, null, started, ended, tail.text());
        } else if (watchdog.timedOut()) {
            tail.add("scaler: ansible-playbook killed after the timeout of " + run.timeout());
            result = new PlaybookResult(ActionOutcome.TIMED_OUT, null, started, ended, tail.text());
        } else if (failure != null) {
            tail.add("scaler: ansible-playbook failed to run: " + failure);
            result = new PlaybookResult(ActionOutcome.FAILED, null, started, ended, tail.text());
        } else {
            if (run.lock() != null && exitCode != null && exitCode == LOCK_BUSY_EXIT) {
                tail.add("scaler: the lock of " + run.lock() + " was not free within " + run.timeout()
                        + ": another run of this service is still going");
            }
            result = new PlaybookResult(exitCode == 0 ? ActionOutcome.SUCCEEDED : ActionOutcome.FAILED,
                    exitCode, started, ended, tail.text());
        }
        LOG.info("ansible-playbook for {} ended: outcome={} exitCode={} took={}ms{}", target, result.outcome(),
                result.exitCode(), Duration.between(started, ended).toMillis(),
                failure == null ? "" : " reason=" + failure);
        return result;
    }

    private static void deleteQuietly(String target, Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("extra variables file for {} not deleted: {} ({})", target, file, e.toString());
        }
    }

    /** Feeds complete lines into the tail and the debug log. */
    private static final class LineSink extends LogOutputStream {
        private final String target;
        private final OutputTail tail;
        private final Consumer<String> lines;

        LineSink(String target, OutputTail tail, Consumer<String> lines) {
            super(0, StandardCharsets.UTF_8);
            this.target = target;
            this.tail = tail;
            this.lines = lines;
        }

        @Override
        protected void processLine(String line, int level) {
            tail.add(line);
            lines.accept(line);
            LOG.debug("ansible-playbook {}: {}", target, line);
        }
    }
}
