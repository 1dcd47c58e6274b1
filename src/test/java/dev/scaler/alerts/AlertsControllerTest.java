package dev.scaler.alerts;

import dev.scaler.api.ApiConfiguration;
import dev.scaler.api.ApiError;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The controller alone: an internal fault is a 500 naming it. The real-app paths are in AlertWebhookTest. */
class AlertsControllerTest {

    @Test
    void anInternalFaultIsA500WithTheReason() {
        ApiConfiguration configuration = new ApiConfiguration("t", null, null, 262_144, Duration.ofHours(1));
        AlertWebhook failing = new AlertWebhook(null, null, Clock.systemUTC(), configuration, null) {
            @Override
            public synchronized Receipt handle(AlertmanagerPayload payload) {
                throw new IllegalStateException("scheduler is shut down");
            }
        };
        AlertsController controller = new AlertsController(failing, JsonMapper.createDefault(), configuration);

        HttpResponse<?> r = controller.receive("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[]}");

        assertThat(r.getStatus().getCode()).isEqualTo(500);
        assertThat(r.getBody(ApiError.class)).hasValueSatisfying(e ->
                assertThat(e.error()).contains("internal error").contains("scheduler is shut down"));
    }
}
