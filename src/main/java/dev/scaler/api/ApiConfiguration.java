package dev.scaler.api;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * Settings of the HTTP API, under {@code scaler.api.}. Writes (every POST) need the bearer token or the
 * basic-auth user; with neither configured every write is refused, never open by default. Read and
 * checked by {@code dev.scaler.config.Configurations}; the defaults are the constants here.
 *
 * @param token              bearer token for writes
 * @param username           basic-auth user for writes; needs {@code password}
 * @param password           basic-auth password
 * @param maxAlertBody       largest Alertmanager payload accepted, in bytes
 * @param alertDedupeWindow  how long an alert (fingerprint, status, startsAt) is remembered as already acted on
 */
public record ApiConfiguration(
        @Nullable String token,
        @Nullable String username,
        @Nullable String password,
        long maxAlertBody,
        Duration alertDedupeWindow) {

    public static final long DEFAULT_MAX_ALERT_BODY = 262_144;
    public static final long MIN_MAX_ALERT_BODY = 1024;
    public static final Duration DEFAULT_ALERT_DEDUPE_WINDOW = Duration.ofHours(1);

    public ApiConfiguration {
        if (token != null && token.isBlank()) {
            throw new ConfigurationException("scaler.api.token is set but empty; set a secret or remove the key");
        }
        if ((username == null || username.isBlank()) != (password == null || password.isEmpty())) {
            throw new ConfigurationException("scaler.api.username and scaler.api.password go together; got "
                    + (username == null || username.isBlank() ? "a password without a username"
                    : "username '" + username + "' without a password"));
        }
        if (username != null && username.contains(":")) {
            throw new ConfigurationException("scaler.api.username: '" + username + "' contains ':', which basic"
                    + " auth cannot carry");
        }
        if (maxAlertBody < MIN_MAX_ALERT_BODY) {
            throw new ConfigurationException("scaler.api.max-alert-body: " + maxAlertBody + " is below 1024 bytes");
        }
        if (alertDedupeWindow == null || (alertDedupeWindow.isNegative() || alertDedupeWindow.isZero())) {
            throw new ConfigurationException("scaler.api.alert-dedupe-window: must be more than 0, got "
                    + alertDedupeWindow);
        }
    }

    public boolean hasCredentials() {
        return token != null || username != null && !username.isBlank();
    }

    @Override
    public String toString() {
        // a record's own toString would print the token and the password
        return "ApiConfiguration[token=" + (token == null ? "none" : "set") + ", username=" + username
                + ", password=" + (password == null ? "none" : "set") + ", maxAlertBody=" + maxAlertBody
                + ", alertDedupeWindow=" + alertDedupeWindow + "]";
    }
}
