package dev.scaler.execution;

/** How one playbook run ended. Only SUCCEEDED and DRY_RUN start a cooldown. */
public enum ActionOutcome {
    SUCCEEDED, FAILED, TIMED_OUT, DRY_RUN
}
