package dev.scaler.api;

import dev.scaler.ScalerConfiguration;
import dev.scaler.control.ControlStore;
import dev.scaler.control.TargetControl;
import dev.scaler.decision.Cooldowns;
import dev.scaler.decision.DecisionHistory;
import dev.scaler.history.HistoryStore;
import dev.scaler.loop.LiveForecasts;
import dev.scaler.loop.StatusBoard;
import dev.scaler.loop.TargetStatus;
import dev.scaler.policy.PolicyStatus;
import dev.scaler.redaction.Redaction;
import dev.scaler.target.Target;
import dev.scaler.target.TargetRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

@Controller("/api")
public class TargetsController {

    static final int MAX_LIMIT = 1000;

    private final TargetRegistry targets;
    private final StatusBoard board;
    private final HistoryStore history;
    private final ScalerConfiguration configuration;
    private final Clock clock;
    private final PolicyStatus policy;
    private final ControlStore controls;
    private final dev.scaler.leader.Leadership leadership;
    private final Redaction redaction;

    public TargetsController(TargetRegistry targets, StatusBoard board, HistoryStore history,
                             ScalerConfiguration configuration, Clock clock, PolicyStatus policy,
                             ControlStore controls, dev.scaler.leader.Leadership leadership, Redaction redaction) {
        this.leadership = leadership;
        this.redaction = redaction;
        this.targets = targets;
        this.board = board;
        this.history = history;
        this.configuration = configuration;
        this.clock = clock;
        this.policy = policy;
        this.controls = controls;
    }

    @Get("/targets")
    public List<TargetView> targets() {
        return targets.all().stream().map(this::view).toList();
    }

    @Get("/targets/{name}")
    public HttpResponse<?> target(@PathVariable String name) {
        return targets.find(name).<HttpResponse<?>>map(t -> HttpResponse.ok(view(t)))
                .orElseGet(() -> notFound(name));
    }

    @Get("/history")
    public HttpResponse<?> history(@QueryValue @Nullable String target, @QueryValue @Nullable String limit) {
        int n = 50;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                return error(HttpStatus.BAD_REQUEST, "limit: '" + limit + "' is not a whole number");
            }
            if (n < 1 || n > MAX_LIMIT) {
                return error(HttpStatus.BAD_REQUEST, "limit: " + n + " is outside 1.." + MAX_LIMIT);
            }
        }
        if (target != null && targets.find(target).isEmpty()) {
            return notFound(target);
        }
        return HttpResponse.ok(history.recent(target, n).stream().map(e -> HistoryView.of(e, redaction)).toList());
    }

    /**
     * A target as /api/targets shows it; the status page shows the same. Reads need no credentials, so every text
     * that can quote a URL or a command's words goes through {@link Redaction} here, once, for both.
     */
    public TargetView view(Target t) {
        Instant now = clock.instant();
        DecisionHistory remembered = history.load(t.name(), t.policy().stabilizationLookback(), now);
        Cooldowns cooldowns = Cooldowns.of(t.policy(), remembered, now);
        TargetStatus s = board.get(t.name()).orElse(null);
        TargetControl control = controls.get(t.name());
        return new TargetView(t.name(), t.isSwarm() ? t.swarm().name() : t.isFleet() ? null : t.compose().service(),
                t.compose() == null ? null : t.compose().projectName(), t.isFleet() ? t.fleet().group() : null,
                t.policy().minReplicas(), t.policy().maxReplicas(),
                s == null ? null : s.observed(), s == null ? null : s.desired(),
                s == null ? null : s.metricValue(), s == null || s.metricState() == null ? null : s.metricState().name(),
                s == null ? null : redaction.apply(s.metricDetail()), s == null ? null : s.tickId(),
                s == null ? null : s.evaluatedAt(), s == null ? null : s.outcome(),
                s == null ? null : redaction.apply(s.reason()),
                s == null ? null : redaction.apply(s.lastActionResult()),
                ceilSeconds(cooldowns.scaleUpRemaining()), ceilSeconds(cooldowns.scaleDownRemaining()),
                control.dryRun(configuration.dryRun(), t.dryRun()), redaction.apply(targets.sourceOf(t.name())),
                redaction.apply(policyError(t)), control.paused(), redaction.apply(control.pausedReason()),
                control.pausedAt(), control.dryRunOverride(),
                s == null ? null : s.minReplicas(), s == null ? null : s.maxReplicas(),
                s == null ? List.of() : s.labelOverrides().stream().map(redaction::apply).toList(),
                s == null ? List.of() : s.labelProblems().stream().map(redaction::apply).toList(),
                s == null ? null : redacted(s.forecast()), leadership.view());
    }

    private LiveForecasts.View redacted(LiveForecasts.View f) {
        return f == null || f.notUsed() == null ? f : f.withNotUsed(redaction.apply(f.notUsed()));
    }

    private String policyError(Target t) {
        PolicyStatus.State state = policy.get();
        return state.source() != null && state.source().equals(targets.sourceOf(t.name())) ? policy.error() : null;
    }

    private static long ceilSeconds(java.time.Duration d) {
        return (d.toMillis() + 999) / 1000;
    }

    private static HttpResponse<ApiError> notFound(String name) {
        return error(HttpStatus.NOT_FOUND, "target: no target named '" + name + "' is configured");
    }

    static HttpResponse<ApiError> error(HttpStatus status, String message) {
        return HttpResponse.<ApiError>status(status).body(new ApiError(status.getCode(), message));
    }
}
