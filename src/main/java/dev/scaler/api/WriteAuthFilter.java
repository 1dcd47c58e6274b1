package dev.scaler.api;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * Every request under /api that can change something (anything but GET, HEAD and OPTIONS) needs the
 * configured bearer token or basic-auth user. Reads stay open. {@code @Context}: the configuration is
 * validated at startup, not at the first write.
 */
@Context
@ServerFilter("/api/**")
public class WriteAuthFilter {

    private static final Logger LOG = LoggerFactory.getLogger(WriteAuthFilter.class);
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final String CHALLENGE = "Bearer realm=\"scaler\", Basic realm=\"scaler\", charset=\"UTF-8\"";

    private final ApiConfiguration configuration;
    private final dev.scaler.leader.Leadership leadership;

    public WriteAuthFilter(ApiConfiguration configuration, dev.scaler.leader.Leadership leadership) {
        this.configuration = configuration;
        this.leadership = leadership;
        if (!configuration.hasCredentials()) {
            LOG.warn("api writes refused: neither scaler.api.token nor scaler.api.username/password is set");
        }
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if (READS.contains(request.getMethod())) {
            return null;
        }
        String problem = problem(request.getHeaders().get(HttpHeaders.AUTHORIZATION));
        if (problem == null) {
            return notLeader(request);
        }
        LOG.info("api write refused: method={} path={} reason=\"{}\"", request.getMethod(), request.getPath(), problem);
        return HttpResponse.<ApiError>status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                .body(new ApiError(401, problem));
    }

    /**
     * An authorized write on a standby is refused, not forwarded (docs/ha.md): 503, so Alertmanager retries, with
     * the leader's URL in {@code Location} and in the body.
     */
    @Nullable
    private HttpResponse<?> notLeader(HttpRequest<?> request) {
        String refusal = leadership.refusal();
        if (refusal == null) {
            return null;
        }
        String url = leadership.leaderUrlIfElsewhere();
        LOG.info("api write refused: method={} path={} reason=\"{}\"", request.getMethod(), request.getPath(), refusal);
        var response = HttpResponse.<NotLeaderError>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(new NotLeaderError(503, refusal, url == null ? null : (String) leadership.view().get("leader"),
                        url));
        if (url != null) {
            response.header(HttpHeaders.LOCATION, url.replaceAll("/+$", "") + request.getPath());
        }
        return response;
    }

    /** Why the header does not authorize a write, or null when it does. */
    String problem(@Nullable String authorization) {
        if (!configuration.hasCredentials()) {
            return "writes are disabled: no credentials configured; set scaler.api.token (SCALER_API_TOKEN) or"
                    + " scaler.api.username and scaler.api.password";
        }
        if (authorization == null || authorization.isBlank()) {
            return "Authorization: missing; send 'Bearer <token>' or basic auth";
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String value = space < 0 ? "" : authorization.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            if (configuration.token() == null) {
                return "Authorization: bearer tokens are not configured (scaler.api.token); use basic auth";
            }
            return same(value, configuration.token()) ? null : "Authorization: wrong bearer token";
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            if (configuration.username() == null) {
                return "Authorization: basic auth is not configured (scaler.api.username); use a bearer token";
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "Authorization: basic credentials are not valid base64";
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return "Authorization: basic credentials lack the ':' between user and password";
            }
            // both compared, always, so the time taken says nothing about which one was wrong
            boolean user = same(decoded.substring(0, colon), configuration.username());
            boolean password = same(decoded.substring(colon + 1), configuration.password());
            return user & password ? null : "Authorization: wrong username or password";
        }
        return "Authorization: scheme '" + scheme + "' is not supported; use Bearer or Basic";
    }

    /** Constant-time comparison of digests, so neither content nor length leaks through timing. */
    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(sha256(given), sha256(expected));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
