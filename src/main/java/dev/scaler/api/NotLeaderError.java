package dev.scaler.api;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A write refused by a standby (docs/ha.md): {@link ApiError}'s two fields, plus the leader and the URL to send
 * the write to (also in the {@code Location} header); both null while no leader is known.
 */
@Serdeable
public record NotLeaderError(int status, String error, String leader, String leaderUrl) {
}
