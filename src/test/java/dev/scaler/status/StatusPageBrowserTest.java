package dev.scaler.status;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.HistoryStore;
import dev.scaler.testing.Await;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Recorded;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import dev.scaler.testing.ScalerProps;
import dev.scaler.testing.ScrapedExporter;
import dev.scaler.testing.TestExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page in a real browser: Debian's chromium, headless, with no network but loopback, loads the pages
 * of a running Scaler whose history holds a real scale-up and scale-down, made by the real loop (real Prometheus
 * scraping a gauge, the repository's playbook through ansible-playbook, a compose project on the real Docker
 * engine). The DOM chromium built is checked; screenshots are kept in {@code target/status-page/}.
 */
class StatusPageBrowserTest {

    static final String TARGET = "webapp";
    static final Path ARTEFACTS = Path.of("target", "status-page");

    @RegisterExtension
    static final ScrapedExporter metrics = ScrapedExporter.perRun().gauge("webapp_load", 0);

    @TempDir
    Path data;
    @TempDir
    Path browserProfile;

    final Resources resources = new Resources();
    ComposeProject compose;
    TestExporter exporter;

    @BeforeEach
    void realParts() throws Exception {
        RealParts.requireComposeScaling();
        RealParts.requireCommand("chromium");
        compose = resources.track(new ComposeProject("scalerstatus"));
        exporter = metrics.exporter();
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    @Test
    void aRealBrowserShowsTheTargetsReasonsAndOneMarkerPerAction() throws Exception {
        compose.up(1);
        ScalerApp app = resources.track(ScalerApp.start(data, ScalerProps.on(metrics.prometheus())
                .compose(TARGET, compose).query("max(webapp_load)").replicas(1, 3).capacity(10)
                .cooldowns("1s", "3s", "2s").build()));

        exporter.set("webapp_load", 25);
        Await.until("scaled up to 3 for a load of 25 at 10 per replica", Duration.ofSeconds(120),
                () -> Recorded.succeeded(app, TARGET, 3));
        exporter.set("webapp_load", 0);
        Await.until("scaled down to 1 with no load", Duration.ofSeconds(120),
                () -> Recorded.actions(app, TARGET).stream()
                        .anyMatch(a -> a.result().equals("SUCCEEDED") && a.toReplicas() < a.fromReplicas()
                                && a.toReplicas() == 1));
        Await.until("the page shows 1 running", Duration.ofSeconds(30),
                () -> app.get("/").body().contains("<td class=\"running\">1</td>"));

        List<HistoryStore.HistoryEntry> acted = Recorded.entries(app, TARGET).stream()
                .filter(e -> !e.actions().isEmpty()).toList();
        assertThat(acted).anyMatch(e -> e.actions().get(0).toReplicas() > e.actions().get(0).fromReplicas());
        assertThat(acted).anyMatch(e -> e.actions().get(0).toReplicas() < e.actions().get(0).fromReplicas());

        // what the server sends refers to nothing but its own origin: no script, no absolute URL but SVG's namespace
        String served = app.get("/targets/" + TARGET + "?window=1h").body() + app.get("/").body();
        assertThat(served).doesNotContain("<script").doesNotContain("<link").doesNotContain("<img")
                .doesNotContain("@import").doesNotContain("url(");
        assertThat(served.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://")
                .doesNotContain("https://").doesNotContain("//");

        Files.createDirectories(ARTEFACTS);
        String overview = browse(app, "/", "overview.png");
        assertThat(overview).contains("data-target=\"webapp\"").contains("<td class=\"kind\">compose</td>")
                .contains("<td class=\"running\">1</td>").contains("1-3");

        String page = browse(app, "/targets/" + TARGET + "?window=1h", "target.png");
        String text = unescape(page);
        assertThat(page).contains("class=\"chart load\"").contains("class=\"chart replicas\"");
        int markers = count(page, "<circle class=\"marker ");
        assertThat(markers).as("one marker per decision that caused an action").isEqualTo(acted.size());
        long succeeded = acted.stream().filter(e -> e.actions().stream().allMatch(a -> a.result().equals("SUCCEEDED")))
                .count();
        assertThat(count(page, "<circle class=\"marker marker-succeeded\"")).isEqualTo((int) succeeded);
        assertThat(count(page, "<tr class=\"action\">")).isEqualTo(acted.size());
        for (HistoryStore.HistoryEntry e : acted) {
            assertThat(text).as("the reason of tick " + e.decision().tickId()).contains(e.decision().reason());
        }
        ActionRecord up = acted.get(0).actions().get(0);
        assertThat(text).contains(up.fromReplicas() + " -> " + up.toReplicas() + " SUCCEEDED: scale up");
    }

    /**
     * The DOM chromium built for a page, and a screenshot of it. Networking is restricted to loopback: every
     * name resolves to nothing and any other address goes to a proxy that does not exist.
     */
    String browse(ScalerApp app, String path, String screenshot) throws IOException, InterruptedException {
        String url = app.uri(path).toString();
        List<String> common = List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + browserProfile.toAbsolutePath(),
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--proxy-server=http://127.0.0.1:9", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                "--window-size=1400,1800");
        List<String> dump = new ArrayList<>(common);
        dump.addAll(List.of("--dump-dom", url));
        String dom = run(dump, "dump-dom " + path);
        List<String> shot = new ArrayList<>(common);
        shot.addAll(List.of("--screenshot=" + ARTEFACTS.resolve(screenshot).toAbsolutePath(), url));
        run(shot, "screenshot " + path);
        assertThat(ARTEFACTS.resolve(screenshot)).isNotEmptyFile();
        Files.writeString(ARTEFACTS.resolve(screenshot.replace(".png", ".html")), dom);
        return dom;
    }

    static String run(List<String> command, String what) throws IOException, InterruptedException {
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("chromium " + what + " did not finish in 90 s: " + Files.readString(err));
            }
            assertThat(process.exitValue()).as("chromium " + what + ": " + Files.readString(err)).isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String unescape(String html) {
        return html.replace("&gt;", ">").replace("&lt;", "<").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
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
