package dev.scaler.execution;

/**
 * How one playbook run (or, for a fleet, one host of it) ended. Only SUCCEEDED and DRY_RUN start a
 * cooldown. UNREACHABLE is a fleet host Ansible could not reach (down, or its host key changed): it is
 * not retried with backoff, because the next tick moves its share to the reachable hosts instead.
 */
public enum ActionOutcome {
    SUCCEEDED, FAILED, TIMED_OUT, DRY_RUN, UNREACHABLE,
    /**
     * Killed at shutdown after the grace, or not started because Scaler was stopping, or found still
     * {@link #RUNNING} in the history when Scaler started again (it crashed or was killed during the run).
     * Starts no cooldown and counts as a failure for the retry backoff: what it changed is observed afresh.
     */
    INTERRUPTED,
    /** Recorded, with its decision, before the playbook starts; replaced by how the run ended. Never an end. */
    RUNNING
}
