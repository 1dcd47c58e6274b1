package dev.scaler.control;

import java.time.Instant;

/**
 * What the API has set for one target at runtime, on top of its configuration.
 *
 * @param paused         observe and decide, execute nothing
 * @param pausedReason   the caller's reason, null when not paused
 * @param pausedAt       when it was paused, null when not paused
 * @param dryRunOverride replaces the target's configured dry-run; null means no override
 */
public record TargetControl(boolean paused, String pausedReason, Instant pausedAt, Boolean dryRunOverride) {

    public static final TargetControl NONE = new TargetControl(false, null, null, null);

    /**
     * The dry-run that applies. The global {@code scaler.dry-run} always wins, so an instance started in
     * dry-run never executes whatever the API says; otherwise the override, if any, replaces the target's.
     */
    public boolean dryRun(boolean global, boolean configured) {
        return global || (dryRunOverride != null ? dryRunOverride : configured);
    }

    /** What a decision's reason says while paused, or "" when not paused. */
    public String pausedNote() {
        return paused ? "; paused by API (" + (pausedReason == null || pausedReason.isBlank() ? "no reason given"
                : pausedReason) + "): nothing is executed" : "";
    }

    public TargetControl pause(String reason, Instant at) {
        return new TargetControl(true, reason, at, dryRunOverride);
    }

    public TargetControl resume() {
        return new TargetControl(false, null, null, dryRunOverride);
    }

    public TargetControl withDryRun(Boolean override) {
        return new TargetControl(paused, pausedReason, pausedAt, override);
    }
}
