package dev.scaler.alerts;

import dev.scaler.api.ApiConfiguration;
import dev.scaler.api.ApiError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code POST /api/alerts}: the Alertmanager webhook receiver. Auth is {@code WriteAuthFilter}'s (configure
 * the receiver's {@code http_config.authorization}). A payload is checked whole before anything is done:
 * a 4xx names what is wrong and acts on nothing; a 202 says what was done with each alert.
 */
@Controller("/api/alerts")
public class AlertsController {

    private static final Logger LOG = LoggerFactory.getLogger(AlertsController.class);
    private static final List<String> STATUSES = List.of("firing", "resolved");

    private final AlertWebhook webhook;
    private final JsonMapper json;
    private final long maxBody;

    public AlertsController(AlertWebhook webhook, JsonMapper json, ApiConfiguration configuration) {
        this.webhook = webhook;
        this.json = json;
        this.maxBody = configuration.maxAlertBody();
    }

    @Post
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public HttpResponse<?> receive(@Body @Nullable String body) {
        if (body == null || body.isBlank()) {
            return error(HttpStatus.BAD_REQUEST, "body: empty; expected an Alertmanager webhook payload (version 4)");
        }
        long size = body.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBody) {
            return error(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "body: " + size + " bytes is over the limit of "
                    + maxBody + " (scaler.api.max-alert-body); lower the receiver's max_alerts");
        }
        AlertmanagerPayload payload;
        try {
            payload = json.readValue(body, AlertmanagerPayload.class);
        } catch (IOException | RuntimeException e) {
            return error(HttpStatus.BAD_REQUEST,
                    "body: not a valid Alertmanager payload: " + firstLine(e.getMessage()));
        }
        String problem = problem(payload);
        if (problem != null) {
            LOG.warn("alert payload refused: {}", problem);
            return error(HttpStatus.BAD_REQUEST, problem);
        }
        try {
            return HttpResponse.accepted().body(webhook.handle(payload));
        } catch (AlertWebhook.ShuttingDown e) {
            return error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("alert payload failed: {}", e.toString(), e);
            return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal error while handling the alerts: " + e);
        }
    }

    /** What is wrong with the payload, naming the field, or null. */
    static String problem(@Nullable AlertmanagerPayload p) {
        if (p == null) {
            return "body: expected a JSON object, got null";
        }
        if (p.version() == null) {
            return "version: missing; expected an Alertmanager webhook payload version \"4\"";
        }
        if (!p.version().equals("4")) {
            return "version: '" + p.version() + "' is not supported; Scaler accepts Alertmanager webhook payload"
                    + " version \"4\"";
        }
        if (p.alerts() == null) {
            return "alerts: missing; a version 4 payload lists its alerts";
        }
        for (int i = 0; i < p.alerts().size(); i++) {
            AlertmanagerPayload.Alert a = p.alerts().get(i);
            if (a == null) {
                return "alerts[" + i + "]: null";
            }
            if (!STATUSES.contains(a.status())) {
                return "alerts[" + i + "].status: '" + a.status() + "' is neither firing nor resolved";
            }
        }
        return null;
    }

    private static HttpResponse<ApiError> error(HttpStatus status, String message) {
        return HttpResponse.<ApiError>status(status).body(new ApiError(status.getCode(), message));
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "(no detail)";
        }
        int i = message.indexOf('\n');
        String line = i < 0 ? message : message.substring(0, i);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
