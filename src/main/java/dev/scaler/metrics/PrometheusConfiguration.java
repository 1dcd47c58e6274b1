package dev.scaler.metrics;

import dev.scaler.redaction.Redaction;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach Prometheus ({@code scaler.prometheus.*}). Defaults are applied here and nowhere else, so a
 * configuration built in a test means the same as one read from application.yml (by
 * {@code dev.scaler.config.Configurations}, which parses the text of every key).
 *
 * @param url             base URL of Prometheus, http or https
 * @param timeout         connect and read timeout of one query
 * @param freshness       a sample older than this is STALE
 * @param username        basic auth user; needs {@code password}
 * @param password        basic auth password
 * @param bearerToken     a fixed bearer token
 * @param bearerTokenFile a file holding the bearer token, read on every request so a rotated token is picked up
 * @param caFile          PEM bundle of the CAs to trust for an https url
 */
public record PrometheusConfiguration(
        @Nullable URI url,
        @Nullable Duration timeout,
        @Nullable Duration freshness,
        @Nullable String username,
        @Nullable String password,
        @Nullable String bearerToken,
        @Nullable Path bearerTokenFile,
        @Nullable Path caFile) {

    public static final String PREFIX = "scaler.prometheus";
    public static final URI DEFAULT_URL = URI.create("http://localhost:9090");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_FRESHNESS = Duration.ofMinutes(2);

    public PrometheusConfiguration {
        url = url == null ? DEFAULT_URL : url;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        freshness = freshness == null ? DEFAULT_FRESHNESS : freshness;
        username = blankToNull(username);
        password = blankToNull(password);
        bearerToken = blankToNull(bearerToken);

        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null) {
            throw invalid("url", "'" + Redaction.urlValue(url.toString())
                    + "' is not an http or https URL with a host");
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw invalid("timeout", "must be more than 0, got " + timeout);
        }
        if (freshness.isZero() || freshness.isNegative()) {
            throw invalid("freshness", "must be more than 0, got " + freshness);
        }
        boolean basic = username != null || password != null;
        boolean bearer = bearerToken != null || bearerTokenFile != null;
        if (basic && bearer) {
            throw new ConfigurationException("Set either " + PREFIX + ".username/" + PREFIX + ".password (basic auth) or "
                    + PREFIX + ".bearer-token/" + PREFIX + ".bearer-token-file (bearer auth), not both");
        }
        if (basic && (username == null || password == null)) {
            throw new ConfigurationException("Basic auth needs both " + PREFIX + ".username and " + PREFIX + ".password");
        }
        if (bearerToken != null && bearerTokenFile != null) {
            throw new ConfigurationException("Set either " + PREFIX + ".bearer-token or " + PREFIX
                    + ".bearer-token-file, not both");
        }
    }

    /**
     * The URL as logs, reasons and the API may quote it, through {@link Redaction}: without the user and password
     * a URL can carry ({@code http://user:pass@host} becomes {@code http://***@host}) or a token in its query,
     * since reasons are stored in the history and shown to anyone who can read the API.
     */
    public String shownUrl() {
        return Redaction.URL_SECRETS.apply(url.toString());
    }

    /** All defaults: http://localhost:9090, no authentication. */
    public static PrometheusConfiguration defaults() {
        return forUrl(null);
    }

    /** Defaults with another URL; handy in tests. */
    public static PrometheusConfiguration forUrl(@Nullable URI url) {
        return new PrometheusConfiguration(url, null, null, null, null, null, null, null);
    }

    public PrometheusConfiguration withTimeout(Duration newTimeout) {
        return new PrometheusConfiguration(url, newTimeout, freshness, username, password, bearerToken, bearerTokenFile, caFile);
    }

    private static ConfigurationException invalid(String key, String problem) {
        return new ConfigurationException(PREFIX + "." + key + ": " + problem);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        // Never print secrets.
        return "PrometheusConfiguration[url=" + shownUrl() + ", timeout=" + timeout + ", freshness=" + freshness
                + ", auth=" + (username != null ? "basic" : bearerToken != null || bearerTokenFile != null ? "bearer" : "none")
                + ", caFile=" + caFile + "]";
    }
}
