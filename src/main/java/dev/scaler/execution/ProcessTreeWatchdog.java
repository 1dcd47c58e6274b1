package dev.scaler.execution;

import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.Watchdog;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * A watchdog that, on timeout, kills the whole process tree rather than only ansible-playbook.
 * ansible-playbook forks workers, which start modules, which start docker or sleep; killing only the
 * parent would orphan them (and they would keep stdout open). The children have to be found before
 * the parent dies, because once orphaned they are no longer its descendants.
 */
final class ProcessTreeWatchdog extends ExecuteWatchdog {

    private Process process;
    private volatile boolean timedOut;
    private volatile boolean interrupted;

    // The builder's constructor is package-private in commons-exec 1.6, so subclassing needs the
    // deprecated public one; it behaves the same.
    @SuppressWarnings("deprecation")
    ProcessTreeWatchdog(Duration timeout) {
        super(timeout.toMillis());
    }

    @Override
    public synchronized void start(Process process) {
        this.process = process;
        super.start(process);
        if (interrupted) {
            // interrupted between being handed to the executor and the process starting
            killTree();
        }
    }

    @Override
    public synchronized void timeoutOccured(Watchdog watchdog) {
        if (process != null && process.isAlive()) {
            timedOut = true;
            killTree();
        }
        super.timeoutOccured(watchdog);
    }

    /** Kills the run's whole process tree now (shutdown past its grace); the run then ends INTERRUPTED. */
    synchronized void interrupt() {
        interrupted = true;
        if (process != null && process.isAlive()) {
            killTree();
        }
    }

    private void killTree() {
        List<ProcessHandle> descendants = process.descendants().toList();
        // Parent first, so it cannot fork new workers while we kill the ones we know.
        process.destroyForcibly();
        for (ProcessHandle child : descendants) {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        }
    }

    /** True when {@link #interrupt()} ended (or prevented) the process. */
    boolean interrupted() {
        return interrupted;
    }

    /** The exit code, if the process was started and has ended; empty otherwise. */
    synchronized OptionalInt exitCode() {
        return process != null && !process.isAlive() ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    /** True when this watchdog ended the process; the exit code is then meaningless. */
    boolean timedOut() {
        return timedOut;
    }
}
