package dev.scaler.api;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The same security headers on every answer: the API, the status page, health and metrics. No CORS header is
 * ever sent (Micronaut's CORS stays off); the Content-Security-Policy lets a page load nothing but its own
 * origin, run no script and be framed by no one. A page that needs more of its own origin (the status page's
 * inline style, by hash) sets its own policy, which is kept.
 */
@ServerFilter("/**")
public class SecurityHeadersFilter {

    public static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";
    public static final String DEFAULT_POLICY = "default-src 'self'; script-src 'none'; object-src 'none';"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @ResponseFilter
    public void headers(MutableHttpResponse<?> response) {
        if (!response.getHeaders().contains(CONTENT_SECURITY_POLICY)) {
            response.header(CONTENT_SECURITY_POLICY, DEFAULT_POLICY);
        }
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Referrer-Policy", "no-referrer");
    }
}
