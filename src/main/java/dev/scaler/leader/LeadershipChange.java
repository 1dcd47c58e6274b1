package dev.scaler.leader;

/**
 * Published (synchronously) when this instance starts or stops leading. A start is published before the instance
 * acts, so every listener has rebuilt what it keeps from the shared history first.
 *
 * @param leading true when this instance now leads
 * @param epoch   the term's fencing token
 * @param reason  why, for the log and the history
 */
public record LeadershipChange(boolean leading, long epoch, String reason) {
}
