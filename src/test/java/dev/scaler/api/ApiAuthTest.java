package dev.scaler.api;

import dev.scaler.testing.Api;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Auth, read-only GETs and no CORS, on the real application. The target points at a Prometheus that is not
 * there and a compose project that does not exist: these tests are about the API, not about scaling, and the
 * loop never ticks on its own (1h poll interval).
 */
class ApiAuthTest {

    static final List<String> WRITES = List.of("/api/alerts", "/api/targets/webapp/scale", "/api/targets/webapp/pause",
            "/api/targets/webapp/resume", "/api/targets/webapp/dry-run");

    @TempDir
    Path data;
    final Resources resources = new Resources();

    @BeforeEach
    void docker() {
        RealParts.requireDocker();
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    ScalerApp app(Map<String, Object> extra) {
        return resources.track(ScalerApp.start(data, Api.quietTarget(data, extra)));
    }

    @Test
    void everyWriteNeedsTheTokenOrTheBasicUser() {
        ScalerApp app = app(Map.of("scaler.api.token", Api.TOKEN, "scaler.api.username", Api.USER,
                "scaler.api.password", Api.PASSWORD));
        record Case(String authorization, String expectedProblem) {
        }
        List<Case> refused = List.of(
                new Case(null, "Authorization: missing"),
                new Case(Api.bearer("wrong"), "wrong bearer token"),
                new Case(Api.bearer(Api.TOKEN + "x"), "wrong bearer token"),
                new Case(Api.basic(Api.USER, "wrong"), "wrong username or password"),
                new Case(Api.basic("root", Api.PASSWORD), "wrong username or password"),
                new Case("Basic !!notbase64", "not valid base64"),
                new Case("Token " + Api.TOKEN, "scheme 'Token' is not supported"));
        for (String path : WRITES) {
            for (Case c : refused) {
                HttpResponse<String> r = Api.post(app, path, c.authorization(), "{}");
                assertThat(r.statusCode()).as("%s with %s", path, c.authorization()).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(
                        v -> assertThat(v).contains("Bearer").contains("Basic"));
                assertThat(r.body()).as(path).contains("\"status\":401").contains(c.expectedProblem());
            }
            for (String good : List.of(Api.bearer(Api.TOKEN), Api.basic(Api.USER, Api.PASSWORD))) {
                HttpResponse<String> r = Api.post(app, path, good, path.endsWith("/scale") ? "{\"replicas\": 99}"
                        : path.endsWith("/dry-run") ? "{\"enabled\": false}" : "{}");
                assertThat(r.statusCode()).as("%s with %s: %s", path, good, r.body()).isNotEqualTo(401)
                        .isBetween(200, 499);
            }
        }
        assertThat(app.get("/api/targets").statusCode()).as("reads stay open").isEqualTo(200);
        // Micronaut's management writes are not open either (sensitive, and there is no security module)
        for (String path : List.of("/refresh", "/stop", "/loggers/ROOT")) {
            HttpResponse<String> r = Api.post(app, path, null, "{\"configuredLevel\": \"DEBUG\"}");
            assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isGreaterThanOrEqualTo(400);
        }
    }

    @Test
    void withNoCredentialsConfiguredEveryWriteIsRefusedSayingHowToConfigure() {
        ScalerApp app = app(Map.of());
        for (String path : WRITES) {
            HttpResponse<String> r = Api.post(app, path, Api.bearer("anything"), "{}");
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.body()).contains("no credentials configured").contains("scaler.api.token");
        }
        assertThat(app.get("/api/targets").body()).contains("\"paused\":false");
    }

    @Test
    void badCredentialSettingsStopTheStartNamingTheKey() {
        assertThatThrownBy(() -> app(Map.of("scaler.api.token", "  ")))
                .hasStackTraceContaining("scaler.api.token");
        assertThatThrownBy(() -> app(Map.of("scaler.api.username", "ops")))
                .hasStackTraceContaining("scaler.api.username and scaler.api.password");
    }

    @Test
    void aGetNeverChangesStateAndNoResponseCarriesCorsHeaders() {
        ScalerApp app = app(Map.of("scaler.api.token", Api.TOKEN));
        for (String path : WRITES) {
            HttpResponse<String> r = app.send(HttpRequest.newBuilder(app.uri(path)).GET()
                    .header("Origin", "https://evil.example").timeout(Duration.ofSeconds(10)).build());
            // 403: Micronaut refuses a foreign Origin on a loopback server (its localhost protection), before routing
            assertThat(r.statusCode()).as("GET %s", path).isIn(403, 404, 405);
            assertNoCors(r, "GET " + path);
        }
        assertThat(app.get("/api/targets/webapp").body()).contains("\"paused\":false")
                .contains("\"dryRun\":false");
        assertThat(app.get("/api/history?target=webapp").body()).isEqualTo("[]");

        for (String path : List.of("/api/targets", "/api/targets/webapp", "/api/history")) {
            HttpResponse<String> r = app.send(HttpRequest.newBuilder(app.uri(path)).GET()
                    .header("Origin", "https://evil.example").timeout(Duration.ofSeconds(10)).build());
            assertThat(r.statusCode()).as("GET %s with an Origin: %s", path, r.body()).isIn(200, 403);
            assertNoCors(r, "GET " + path);
            HttpResponse<String> plain = app.get(path);
            assertThat(plain.statusCode()).isEqualTo(200);
            assertNoCors(plain, "GET " + path + " without Origin");
        }
        for (String path : WRITES) {
            HttpResponse<String> preflight = app.send(HttpRequest.newBuilder(app.uri(path))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://evil.example")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization, content-type")
                    .timeout(Duration.ofSeconds(10)).build());
            assertNoCors(preflight, "OPTIONS " + path);
            HttpResponse<String> post = app.send(HttpRequest.newBuilder(app.uri(path))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Origin", "https://evil.example").header("Content-Type", "application/json")
                    .header("Authorization", Api.bearer(Api.TOKEN)).timeout(Duration.ofSeconds(30)).build());
            assertNoCors(post, "POST " + path);
        }
    }

    static void assertNoCors(HttpResponse<String> r, String what) {
        assertThat(r.headers().map().keySet()).as("%s answered %d with headers %s", what, r.statusCode(),
                r.headers().map()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    }
}
