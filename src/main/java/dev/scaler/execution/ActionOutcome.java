package dev.scaler.execution;

/**
 * How one playbook run (or, for a fleet, one host of it) ended. Only SUCCEEDED and DRY_RUN start a
 * cooldown. UNREACHABLE is a fleet host Ansible could not reach (down, or its host key changed): it is
 * not retried with backoff, because the next tick moves its share to the reachable hosts instead.
 */
public enum ActionOutcome {
    SUCCEEDED, FAILED, TIMED_OUT, DRY_RUN, UNREACHABLE
}
