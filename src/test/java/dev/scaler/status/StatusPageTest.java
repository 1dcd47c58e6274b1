package dev.scaler.status;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.history.HistoryStore;
import dev.scaler.testing.Await;
import dev.scaler.testing.ScalerApp;
import io.micronaut.context.exceptions.BeanInstantiationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The status page and the headers and health details that go with it, on the real application (real HTTP server,
 * real H2 history). Prometheus is an address nothing listens on, so the metric is UNREACHABLE and its detail
 * quotes the URL, credentials included: the page must not show them. The browser and the real loop are in
 * {@link StatusPageBrowserTest}.
 */
class StatusPageTest {

    static final String PROMETHEUS_PASSWORD = "pr0m-s3cret-pw";
    static final String TOKEN = "t0ken-s3cret-value";

    @TempDir
    Path data;

    ScalerApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    Map<String, Object> settings(Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put("scaler.prometheus.url", "http://scaler:" + PROMETHEUS_PASSWORD + "@127.0.0.1:1");
        p.put("scaler.prometheus.timeout", "1s");
        p.put("scaler.api.token", TOKEN);
        p.put("scaler.dry-run", true);
        p.put("scaler.targets.webapp.query", "sum(rate(webapp_requests_total[1m]))");
        p.put("scaler.targets.webapp.compose-project", "statuspagenothere");
        p.put("scaler.targets.webapp.compose-project-dir", data.resolve("nothere").toString());
        p.put("scaler.targets.webapp.capacity-per-replica", 10);
        p.put("scaler.targets.webapp.max-replicas", 4);
        p.putAll(extra);
        return p;
    }

    @Test
    void showsEveryTargetWithoutSecretsAndWithTheApisHeaders() {
        app = ScalerApp.start(data, settings(Map.of()));
        Await.until("the unreachable Prometheus in the API, its URL with credentials quoted", Duration.ofSeconds(30),
                () -> app.get("/api/targets").body().contains("\"metricState\":\"UNREACHABLE\""));
        assertThat(app.get("/api/targets").body()).contains("127.0.0.1:1");
        HttpResponse<String> page = app.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        String html = page.body();
        assertThat(html).contains("data-target=\"webapp\"").contains("<td class=\"kind\">compose</td>")
                .contains("href=\"/targets/webapp\"").contains("1-4");
        String target = app.get("/targets/webapp?window=1h").body();
        for (String body : new String[] {html, target, app.get("/targets/nosuch").body(),
                app.get("/api/targets").body(), app.get("/api/history?target=webapp").body()}) {
            assertThat(body).doesNotContain(PROMETHEUS_PASSWORD).doesNotContain(TOKEN).doesNotContain("scaler:pr0m");
        }
        // the metric's detail quotes the URL: the page shows it without its credentials
        assertThat(html).contains("UNREACHABLE").contains("http://***@127.0.0.1:1");
        assertThat(target).contains("http://***@127.0.0.1:1");
        assertThat(html).doesNotContain("<script").doesNotContain("src=\"http").doesNotContain("href=\"http");

        for (String path : new String[] {"/", "/targets/webapp", "/api/targets", "/health", "/targets/nosuch"}) {
            HttpResponse<String> r = app.get(path);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'")
                            .contains("script-src 'none'").doesNotContain("unsafe").doesNotContain("*"));
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().map().keySet()).as(path).noneMatch(h -> h.toLowerCase().startsWith("access-control"));
        }
        assertThat(app.get("/").headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("style-src 'sha256-");
        // a page from another origin gets no grant
        HttpResponse<String> cross = app.send(HttpRequest.newBuilder(app.uri("/")).header("Origin", "http://evil.example")
                .GET().build());
        assertThat(cross.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control"));
    }

    @Test
    void targetPageDrawsEachActionAsAMarkerWithItsReason() {
        app = ScalerApp.start(data, settings(Map.of("scaler.poll-interval", "1h", "scaler.initial-delay", "1h")));
        HistoryStore store = app.bean(HistoryStore.class);
        Instant now = Instant.now();
        act(store, now.minusSeconds(600), 1, 3, "SUCCEEDED", "scale up 1 -> 3: load 25 / 10 per replica");
        act(store, now.minusSeconds(400), 3, 4, "FAILED", "scale up 3 -> 4: load 33 & <b>bold</b>");
        act(store, now.minusSeconds(300), 3, 2, "DRY_RUN", "scale down 3 -> 2");
        act(store, now.minusSeconds(200), 3, 1, "INTERRUPTED", "scale down 3 -> 1 via http://u:" + TOKEN + "@x");
        act(store, now.minus(Duration.ofDays(2)), 1, 2, "SUCCEEDED", "outside the 24h window");

        String html = app.get("/targets/webapp?window=24h").body();
        assertThat(count(html, "<circle class=\"marker ")).isEqualTo(4);
        assertThat(count(html, "marker-succeeded")).isEqualTo(1);
        assertThat(count(html, "marker-failed")).isEqualTo(1);
        assertThat(count(html, "marker-interrupted")).isEqualTo(1);
        assertThat(count(html, "marker-dry-run")).isEqualTo(1);
        assertThat(html).contains("fill=\"" + StatusPage.RED + "\"").contains("fill=\"" + StatusPage.GREY + "\"")
                .contains("fill=\"" + StatusPage.GREEN + "\"")
                .contains("<title>").contains("scale up 1 -&gt; 3: load 25 / 10 per replica</title>")
                .contains("load 33 &amp; &lt;b&gt;bold&lt;/b&gt;").doesNotContain("<b>bold</b>")
                .doesNotContain(TOKEN).doesNotContain("outside the 24h window");
        assertThat(count(html, "<tr class=\"action\">")).isEqualTo(4);
        assertThat(app.get("/targets/webapp?window=7d").body()).contains("outside the 24h window");
        assertThat(count(app.get("/targets/webapp?window=7d").body(), "<circle class=\"marker ")).isEqualTo(5);
    }

    /** Reads need no credentials, so the JSON API hides what the page hides, from the same texts. */
    @Test
    void theApisReadsHideTheSameSecretsAsThePage() {
        app = ScalerApp.start(data, settings(Map.of("scaler.poll-interval", "1h", "scaler.initial-delay", "1h")));
        HistoryStore store = app.bean(HistoryStore.class);
        Instant at = Instant.now().minusSeconds(60);
        long id = store.saveDecision(new DecisionRecord(null, "webapp", "t-secret", at, 1, "HEALTHY", 18.0, null, 2, 2,
                2, 2, 2, 2, "SCALE", "scale up 1 -> 2 via http://u:" + TOKEN + "@x", false));
        store.saveAction(new ActionRecord(null, id, "webapp", null, at, at.plusSeconds(3), 1, 2, 1, "FAILED",
                "fatal: proxyconnect http://ops:pr0xy-pw@proxy:3128 refused; token " + TOKEN));
        HttpResponse<String> paused = app.send(HttpRequest.newBuilder(app.uri("/api/targets/webapp/pause"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"reason\": \"proxy http://ops:pr0xy-pw@proxy:3128 down\"}"))
                .timeout(Duration.ofSeconds(10)).build());
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);

        String history = app.get("/api/history?target=webapp").body();
        assertThat(history).contains("scale up 1 -> 2 via http://***@x")
                .contains("fatal: proxyconnect http://***@proxy:3128 refused; token ***");
        String target = app.get("/api/targets/webapp").body();
        assertThat(target).contains("\"pausedReason\":\"proxy http://***@proxy:3128 down\"");
        for (String body : new String[] {history, target, app.get("/api/targets").body()}) {
            assertThat(body).doesNotContain(TOKEN).doesNotContain("pr0xy-pw");
        }
    }

    @Test
    void aFleetTargetsPageDrawsEachHostsCountAsItsActionsSetIt() {
        app = ScalerApp.start(data, settings(Map.of("scaler.poll-interval", "1h", "scaler.initial-delay", "1h",
                "scaler.targets.shop.query", "sum(rate(shop_requests_total[1m]))",
                "scaler.targets.shop.fleet-group", "web",
                "scaler.targets.shop.fleet-inventory", ScalerApp.repoPath("inventories/example-fleet/hosts.yml"))));
        HistoryStore store = app.bean(HistoryStore.class);
        Instant at = Instant.now().minusSeconds(300);
        long id = store.saveDecision(new DecisionRecord(null, "shop", "f1", at, 2, "HEALTHY", 35.0, null, 4, 4, 4, 4, 4,
                4, "SCALE", "scale up 2 -> 4: fleet plan h1 +1, h2 +1", false));
        store.saveAction(new ActionRecord(null, id, "shop", "h1", at, at.plusSeconds(5), 1, 2, 0, "SUCCEEDED", "ok"));
        store.saveAction(new ActionRecord(null, id, "shop", "h2", at, at.plusSeconds(5), 1, 2, null, "UNREACHABLE",
                "ssh: connect to host 10.0.0.12 port 22: Connection refused"));

        assertThat(app.get("/").body()).contains("data-target=\"shop\"").contains("<td class=\"kind\">fleet</td>");
        String html = app.get("/targets/shop?window=1h").body();
        assertThat(html).contains("Replicas per host").contains("class=\"chart hosts\"").contains(">h1</text>")
                .contains(">h2</text>").contains("h1: 1 -&gt; 2 SUCCEEDED").contains("h2: 1 -&gt; 2 UNREACHABLE");
        assertThat(count(html, "<circle class=\"marker marker-unreachable\"")).as("one marker for the decision, red")
                .isEqualTo(1);
        assertThat(html).as("playbook output is not shown").doesNotContain("Connection refused");
    }

    @Test
    void badWindowsNamesAndUnknownTargetsAreRefusedNamingTheValue() {
        app = ScalerApp.start(data, settings(Map.of("scaler.poll-interval", "1h", "scaler.initial-delay", "1h")));
        HttpResponse<String> window = app.get("/targets/webapp?window=3d");
        assertThat(window.statusCode()).isEqualTo(400);
        assertThat(window.body()).contains("window: &#39;3d&#39; is not one of 1h, 6h, 24h, 7d");
        assertThat(app.get("/targets/nosuch").statusCode()).isEqualTo(404);
        assertThat(app.get("/targets/nosuch").body()).contains("no target named &#39;nosuch&#39;");
        assertThat(app.get("/targets/a%20b").statusCode()).isEqualTo(400);
        // read-only: no write on the page's paths
        HttpResponse<String> post = app.send(HttpRequest.newBuilder(app.uri("/targets/webapp"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(post.statusCode()).isIn(404, 405);
    }

    @Test
    void thePageCanBeTurnedOffAndABadValueStopsTheStart() {
        app = ScalerApp.start(data, settings(Map.of("scaler.status-page.enabled", false,
                "scaler.poll-interval", "1h", "scaler.initial-delay", "1h")));
        assertThat(app.get("/").statusCode()).isEqualTo(404);
        assertThat(app.get("/").body()).contains("scaler.status-page.enabled");
        assertThat(app.get("/targets/webapp").statusCode()).isEqualTo(404);
        assertThat(app.get("/api/targets").statusCode()).isEqualTo(200);
        app.close();
        app = null;
        assertThatThrownBy(() -> ScalerApp.start(data, settings(Map.of("scaler.status-page.enabled", "perhaps"))))
                .isInstanceOf(BeanInstantiationException.class)
                .hasStackTraceContaining("scaler.status-page.enabled").hasStackTraceContaining("perhaps");
    }

    @Test
    void healthDetailsOnlyForTheApisCredentials() {
        app = ScalerApp.start(data, settings(Map.of("scaler.api.username", "ops", "scaler.api.password", "pa55-word")));
        Await.until("health answers", Duration.ofSeconds(20), () -> app.get("/health").statusCode() > 0);
        String anonymous = app.get("/health").body();
        assertThat(anonymous).contains("\"status\"").doesNotContain("details").doesNotContain("jdbc")
                .doesNotContain(data.toString());
        String wrong = health("Bearer nope").body();
        assertThat(wrong).doesNotContain("details").doesNotContain("jdbc");
        String bearer = health("Bearer " + TOKEN).body();
        assertThat(bearer).contains("details").contains("jdbc");
        String basic = health("Basic " + java.util.Base64.getEncoder().encodeToString("ops:pa55-word".getBytes())).body();
        assertThat(basic).contains("details").contains("jdbc");
        assertThat(health("Basic " + java.util.Base64.getEncoder().encodeToString("ops:wrong".getBytes())).body())
                .doesNotContain("details");
    }

    HttpResponse<String> health(String authorization) {
        return app.send(HttpRequest.newBuilder(app.uri("/health")).header("Authorization", authorization).GET()
                .timeout(Duration.ofSeconds(10)).build());
    }

    static void act(HistoryStore store, Instant at, int from, int to, String result, String reason) {
        long id = store.saveDecision(new DecisionRecord(null, "webapp", "t-" + at.toEpochMilli(), at, from, "HEALTHY",
                to * 9.0, null, to, to, to, to, to, to, "SCALE", reason, result.equals("DRY_RUN")));
        store.saveAction(new ActionRecord(null, id, "webapp", null, at, at.plusSeconds(3), from, to,
                result.equals("SUCCEEDED") ? 0 : null, result, "ok"));
    }

    static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
