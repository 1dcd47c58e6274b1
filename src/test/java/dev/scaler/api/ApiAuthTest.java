package dev.scaler.api;

import dev.scaler.testing.Api;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Auth, read-only GETs, no CORS and strict write bodies, on the real application. The target points at a
 * Prometheus that is not there and a compose project that does not exist: these tests are about the API, not
 * about scaling, and the loop never ticks on its own (1h poll interval).
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

    record BodyCase(String path, String body, int status, String says) {
    }

    /**
     * The write bodies are strict: a count is a JSON integer, a flag a JSON boolean, a reason a JSON string,
     * unknown fields are refused, a path name that cannot be a target is a 400, and a manual scale is held
     * to the bounds after the service's labels. Dry run: nothing is ever executed.
     */
    @Test
    @Tag("chaos")
    void bodiesAndNamesAreStrictAndTheBoundsAreThoseAfterLabels() throws IOException {
        // No container of the project runs, so the labels come from its compose file: max 6, not the policy's 4.
        Files.writeString(data.resolve("compose.yml"), """
                services:
                  webapp:
                    image: scaler-none
                    labels:
                      scaler.max: "6"
                """);
        ScalerApp app = app(Map.of("scaler.api.token", Api.TOKEN, "scaler.dry-run", true));
        String scale = "/api/targets/webapp/scale";
        for (BodyCase c : List.of(
                new BodyCase(scale, "{\"replicas\": 3.5}", 400,
                        "replicas: 3.5 is not a whole number in int range; give a JSON integer like 3"),
                new BodyCase(scale, "{\"replicas\": 3.0}", 400, "replicas: 3.0 is not a whole number"),
                new BodyCase(scale, "{\"replicas\": 1e2}", 400, "replicas: 100.0 is not a whole number"),
                new BodyCase(scale, "{\"replicas\": \"3\"}", 400,
                        "replicas: the string \\\"3\\\" is not a number; give a JSON integer like 3"),
                new BodyCase(scale, "{\"replicas\": true}", 400, "replicas: the boolean true is not a number"),
                new BodyCase(scale, "{\"replicas\": null}", 400, "replicas: missing"),
                new BodyCase(scale, "{\"replicas\": 3000000000}", 400, "replicas: 3000000000 is not a whole number in int range"),
                new BodyCase(scale, "{\"replicas\": 2, \"reason\": 5}", 400, "reason: the number 5 is not a string"),
                new BodyCase(scale, "{\"replicas\": 2, \"replica\": 3}", 400,
                        "body: unknown field(s) [replica]; this endpoint takes [reason, replicas]"),
                new BodyCase(scale, "[2]", 400, "body: expected a JSON object, got an array"),
                new BodyCase(scale, "{\"replicas\": 7}", 400,
                        "replicas: 7 is outside 1..6, the bounds of target 'webapp' after its labels"),
                new BodyCase(scale, "{\"replicas\": 0}", 400, "replicas: 0 is outside 1..6"),
                new BodyCase("/api/targets/web%20spaced/scale", "{\"replicas\": 2}", 400,
                        "name: 'web spaced' is not a valid target name"),
                new BodyCase("/api/targets/..%2Fx/scale", "{\"replicas\": 2}", 400, "name: '../x' is not a valid target name"),
                new BodyCase("/api/targets/nope/scale", "{\"replicas\": 2}", 404, "no target named 'nope'"),
                new BodyCase("/api/targets/web%20spaced/pause", "{}", 400, "name: 'web spaced'"),
                new BodyCase("/api/targets/webapp/pause", "{\"reason\": 1}", 400, "reason: the number 1 is not a string"),
                new BodyCase("/api/targets/webapp/dry-run", "{\"enabled\": \"true\"}", 400,
                        "enabled: the string \\\"true\\\" is not a boolean; give true or false"),
                new BodyCase("/api/targets/webapp/dry-run", "{\"enabled\": 1}", 400, "enabled: the number 1 is not a boolean"),
                new BodyCase("/api/targets/webapp/dry-run", "{\"enabled\": true, \"x\": 1}", 400, "body: unknown field(s) [x]"))) {
            HttpResponse<String> r = Api.post(app, c.path(), c.body());
            assertThat(r.statusCode()).as("%s %s -> %s", c.path(), c.body(), r.body()).isEqualTo(c.status());
            assertThat(r.body()).as("%s %s", c.path(), c.body()).contains(c.says());
        }
        // Above the policy's max of 4 but within the label's 6: accepted (a dry run, nothing executes).
        HttpResponse<String> r = Api.post(app, scale, "{\"replicas\": 5, \"reason\": \"label bound\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"toReplicas\":5").contains("\"dryRun\":true");
    }
}
