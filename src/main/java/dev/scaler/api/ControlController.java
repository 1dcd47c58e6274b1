package dev.scaler.api;

import dev.scaler.control.ControlStore;
import dev.scaler.control.ManualScaler;
import dev.scaler.control.TargetControl;
import dev.scaler.target.Target;
import dev.scaler.target.TargetRegistry;
import dev.scaler.target.Targets;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * Manual control of one target: scale now, pause and resume the loop's actions, dry-run override. All
 * POST, so {@link WriteAuthFilter} guards them; a GET on these paths matches no route and changes nothing.
 * Blocking executor: a manual scale waits for the playbook.
 */
@Controller("/api/targets/{name}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ControlController {

    private static final Logger LOG = LoggerFactory.getLogger(ControlController.class);
    static final int MAX_REASON = 500;

    /** The fields each write body takes; docs/api.md lists them with their types. */
    static final Set<String> SCALE_FIELDS = Set.of("replicas", "reason");
    static final Set<String> PAUSE_FIELDS = Set.of("reason");
    static final Set<String> DRY_RUN_FIELDS = Set.of("enabled");

    /** The answer to a manual scale. */
    @Serdeable
    public record ScaleView(String target, String tickId, int fromReplicas, int toReplicas, String result,
                            boolean dryRun, Integer exitCode, String reason) {
    }

    /** A target's runtime control after a change. */
    @Serdeable
    public record ControlView(String target, boolean paused, String pausedReason, Instant pausedAt,
                              Boolean dryRunOverride) {
        static ControlView of(String target, TargetControl c) {
            return new ControlView(target, c.paused(), c.pausedReason(), c.pausedAt(), c.dryRunOverride());
        }
    }

    private final TargetRegistry targets;
    private final ControlStore controls;
    private final ManualScaler scaler;
    private final JsonMapper json;
    private final Clock clock;

    public ControlController(TargetRegistry targets, ControlStore controls, ManualScaler scaler, JsonMapper json,
                             Clock clock) {
        this.targets = targets;
        this.controls = controls;
        this.scaler = scaler;
        this.json = json;
        this.clock = clock;
    }

    @Post("/scale")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public HttpResponse<?> scale(@PathVariable String name, @Body @Nullable String body) {
        HttpResponse<ApiError> refused = refuse(name);
        if (refused != null) {
            return refused;
        }
        JsonBody.Parsed parsed = JsonBody.parse(json, body, SCALE_FIELDS, true);
        if (parsed.error() != null) {
            return parsed.error();
        }
        Target target = targets.find(name).orElseThrow();
        Integer replicas;
        String given;
        try {
            replicas = parsed.value().integer("replicas");
            given = parsed.value().string("reason");
        } catch (JsonBody.BadField e) {
            return JsonBody.failed(e.getMessage());
        }
        if (replicas == null) {
            return JsonBody.failed("replicas: missing; give the number to scale to");
        }
        String reason = reason(given);
        if (reason == null) {
            return TargetsController.error(HttpStatus.BAD_REQUEST, "reason: longer than " + MAX_REASON + " characters");
        }
        // The bounds, after the service's labels, are checked once the count is observed (ManualScaler).
        ManualScaler.Result r;
        try {
            r = scaler.scale(target, replicas, reason);
        } catch (ManualScaler.Refused e) {
            return TargetsController.error(HttpStatus.valueOf(e.status()), e.getMessage());
        }
        if (!r.ok()) {
            String tail = r.outputTail().strip();
            String last = tail.isEmpty() ? "" : tail.substring(tail.lastIndexOf('\n') + 1);
            return TargetsController.error(HttpStatus.INTERNAL_SERVER_ERROR, "scale of '" + name + "' from "
                    + r.fromReplicas() + " to " + r.toReplicas() + " ended " + r.result() + " (exit " + r.exitCode()
                    + "), recorded in history as tick " + r.tickId() + ": " + last);
        }
        return HttpResponse.ok(new ScaleView(r.target(), r.tickId(), r.fromReplicas(), r.toReplicas(), r.result(),
                r.dryRun(), r.exitCode(), r.reason()));
    }

    @Post("/pause")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public HttpResponse<?> pause(@PathVariable String name, @Body @Nullable String body) {
        HttpResponse<ApiError> refused = refuse(name);
        if (refused != null) {
            return refused;
        }
        JsonBody.Parsed parsed = JsonBody.parse(json, body, PAUSE_FIELDS, false);
        if (parsed.error() != null) {
            return parsed.error();
        }
        String given;
        try {
            given = parsed.value().string("reason");
        } catch (JsonBody.BadField e) {
            return JsonBody.failed(e.getMessage());
        }
        String reason = reason(given);
        if (reason == null) {
            return TargetsController.error(HttpStatus.BAD_REQUEST, "reason: longer than " + MAX_REASON + " characters");
        }
        TargetControl c = controls.update(name, old -> old.pause(reason, clock.instant()));
        LOG.info("target={} paused by API reason=\"{}\"", name, reason);
        return HttpResponse.ok(ControlView.of(name, c));
    }

    @Post("/resume")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public HttpResponse<?> resume(@PathVariable String name, @Body @Nullable String body) {
        HttpResponse<ApiError> refused = refuse(name);
        if (refused != null) {
            return refused;
        }
        TargetControl c = controls.update(name, TargetControl::resume);
        LOG.info("target={} resumed by API", name);
        return HttpResponse.ok(ControlView.of(name, c));
    }

    @Post("/dry-run")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public HttpResponse<?> dryRun(@PathVariable String name, @Body @Nullable String body) {
        HttpResponse<ApiError> refused = refuse(name);
        if (refused != null) {
            return refused;
        }
        JsonBody.Parsed parsed = JsonBody.parse(json, body, DRY_RUN_FIELDS, true);
        if (parsed.error() != null) {
            return parsed.error();
        }
        Boolean value;
        try {
            value = parsed.value().bool("enabled");
        } catch (JsonBody.BadField e) {
            return JsonBody.failed(e.getMessage());
        }
        if (value == null) {
            return JsonBody.failed("enabled: missing; give true or false");
        }
        boolean enabled = value;
        TargetControl c = controls.update(name, old -> old.withDryRun(enabled));
        LOG.info("target={} dry-run override set by API to {}", name, enabled);
        return HttpResponse.ok(ControlView.of(name, c));
    }

    /** The caller's reason, "no reason given" when absent, null when too long. */
    private static String reason(@Nullable String given) {
        if (given == null || given.isBlank()) {
            return "no reason given";
        }
        // one line, no double quotes: it ends up in log lines as reason="..." and must not forge or break one
        String r = given.strip().replaceAll("\\p{Cntrl}", " ").replace('"', '\'');
        return r.length() > MAX_REASON ? null : r;
    }

    /**
     * The 400 for a name that cannot be a target (never rewritten into one that can), the 404 for a valid
     * name no target has; null when the target exists.
     */
    private HttpResponse<ApiError> refuse(String name) {
        if (!Targets.isValidName(name)) {
            return JsonBody.failed("name: " + Targets.nameRule(name));
        }
        return targets.find(name).isPresent() ? null : notFound(name);
    }

    private static HttpResponse<ApiError> notFound(String name) {
        return TargetsController.error(HttpStatus.NOT_FOUND, "target: no target named '" + name + "' is configured");
    }
}
