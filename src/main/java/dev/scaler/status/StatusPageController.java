package dev.scaler.status;

import dev.scaler.ScalerConfiguration;
import dev.scaler.api.SecurityHeadersFilter;
import dev.scaler.api.TargetView;
import dev.scaler.api.TargetsController;
import dev.scaler.history.HistoryStore;
import dev.scaler.redaction.Redaction;
import dev.scaler.target.Target;
import dev.scaler.target.TargetRegistry;
import dev.scaler.target.Targets;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status page: {@code GET /}, every target at a glance, and {@code GET /targets/{name}?window=6h}, one
 * target's charts and actions over a window, drawn on the server from the history store. Read-only: GET only,
 * nothing on it changes anything. Off with {@code scaler.status-page.enabled: false} (404).
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class StatusPageController {

    /** The windows a target's page offers, by their name in the query. */
    static final Map<String, Duration> WINDOWS = windows();
    static final String DEFAULT_WINDOW = "6h";
    /** Most actions listed and marked on one target's page (the newest of the window). */
    static final int MAX_ACTIONS = 500;

    private final StatusPageConfiguration configuration;
    private final TargetRegistry targets;
    private final TargetsController api;
    private final HistoryStore history;
    private final Clock clock;
    private final StatusPage page;
    @jakarta.inject.Inject
    dev.scaler.leader.Leadership leadership;

    public StatusPageController(StatusPageConfiguration configuration, TargetRegistry targets, TargetsController api,
                                HistoryStore history, Clock clock, ScalerConfiguration scaler,
                                Redaction redaction) {
        this.configuration = configuration;
        this.targets = targets;
        this.api = api;
        this.history = history;
        this.clock = clock;
        this.page = new StatusPage(redaction, scaler.pollInterval());
    }

    @Get(value = "/", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> overview() {
        if (!configuration.enabled()) {
            return off();
        }
        Instant now = clock.instant();
        List<StatusPage.Row> rows = targets.all().stream().map(t -> row(t, now)).toList();
        return html(HttpStatus.OK, page.overview(rows, now, leadership.single() ? null : leadership.view()));
    }

    @Get(value = "/targets/{name}", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> target(@PathVariable String name, @QueryValue @Nullable String window) {
        if (!configuration.enabled()) {
            return off();
        }
        if (!Targets.isValidName(name)) {
            return html(HttpStatus.BAD_REQUEST, page.error("name: " + Targets.nameRule(name)));
        }
        String w = window == null || window.isBlank() ? DEFAULT_WINDOW : window.strip();
        Duration span = WINDOWS.get(w);
        if (span == null) {
            return html(HttpStatus.BAD_REQUEST, page.error("window: '" + w + "' is not one of "
                    + String.join(", ", WINDOWS.keySet())));
        }
        Target t = targets.find(name).orElse(null);
        if (t == null) {
            return html(HttpStatus.NOT_FOUND, page.error("target: no target named '" + name + "' is configured"));
        }
        Instant now = clock.instant();
        Instant from = now.minus(span);
        HistoryStore.Window read = history.window(name, from, now, MAX_ACTIONS);
        return html(HttpStatus.OK, page.target(row(t, now), read, w, from, now));
    }

    private StatusPage.Row row(Target t, Instant now) {
        TargetView v = api.view(t);
        // read after the view, never with an earlier instant: the store keeps each target's memory in process and
        // reads the database again for an instant before the last one it was asked about
        Instant at = later(now, clock.instant());
        String stabilization = Stabilization.remaining(t.policy(),
                history.load(t.name(), t.policy().stabilizationLookback(), at).recommendations(), at);
        String kind = t.isFleet() ? "fleet" : t.isSwarm() ? "swarm" : "compose";
        return new StatusPage.Row(t, kind, v, stabilization);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static MutableHttpResponse<String> html(HttpStatus status, String body) {
        return HttpResponse.<String>status(status).body(body).contentType(MediaType.TEXT_HTML_TYPE + ";charset=utf-8")
                .header(SecurityHeadersFilter.CONTENT_SECURITY_POLICY, StatusPage.CONTENT_SECURITY_POLICY)
                .header("Cache-Control", "no-store");
    }

    private static MutableHttpResponse<String> off() {
        return HttpResponse.<String>status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN_TYPE)
                .body("the status page is turned off (scaler.status-page.enabled: false)\n");
    }

    private static Map<String, Duration> windows() {
        Map<String, Duration> w = new LinkedHashMap<>();
        w.put("1h", Duration.ofHours(1));
        w.put("6h", Duration.ofHours(6));
        w.put("24h", Duration.ofHours(24));
        w.put("7d", Duration.ofDays(7));
        return java.util.Collections.unmodifiableMap(w);
    }
}
