package dev.scaler.control;

import dev.scaler.testing.Api;
import dev.scaler.testing.Await;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A manual scale holds the target's evaluation lock: a second one (or a tick) meanwhile gets a 409, and a
 * playbook that times out is a 5xx naming the outcome, recorded in history. Real ansible-playbook, with the
 * test playbook that hangs.
 */
class ManualScaleConflictTest {

    @TempDir
    Path data;
    final Resources resources = new Resources();

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    @Test
    void aSecondScaleWhileOneRunsIsA409AndATimedOutPlaybookA500() {
        RealParts.requireDocker();
        RealParts.requireCommand("ansible-playbook");
        ScalerApp app = resources.track(ScalerApp.start(data, Api.quietTarget(data, Map.of(
                "scaler.api.token", Api.TOKEN,
                // long enough for a loaded machine to start ansible-playbook and reach the hanging task
                "scaler.execution.timeout", "15s",
                "scaler.execution.playbook", ScalerApp.repoPath("src/test/resources/playbooks/hang.yml")))));

        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(
                () -> Api.post(app, "/api/targets/webapp/scale", "{\"replicas\": 2, \"reason\": \"first\"}"));
        Await.until("the first scale to be running", Duration.ofSeconds(45),
                () -> RealParts.runsOk("pgrep", "-f", "^sleep 600$"));
        HttpResponse<String> second = Api.post(app, "/api/targets/webapp/scale", "{\"replicas\": 3}");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
        assertThat(second.body()).contains("is being evaluated or scaled right now");

        HttpResponse<String> done = first.join();
        assertThat(done.statusCode()).as(done.body()).isEqualTo(500);
        assertThat(done.body()).contains("ended TIMED_OUT").contains("recorded in history");
        assertThat(app.get("/api/history?target=webapp").body()).contains("\"result\":\"TIMED_OUT\"")
                .contains("manual scale by API from 0 to 2: first");
    }
}
