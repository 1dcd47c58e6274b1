package dev.scaler.api;

import dev.scaler.testing.Api;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The write bodies are strict, on the real application: a count is a JSON integer, a flag a JSON boolean,
 * a reason a JSON string, unknown fields are refused, a path name that cannot be a target is a 400, and a
 * manual scale is held to the bounds after the service's labels. Dry run: nothing is ever executed.
 */
class ManualScaleInputTest {

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

    record Case(String path, String body, int status, String says) {
    }

    @Test
    void bodiesAndNamesAreStrictAndTheBoundsAreThoseAfterLabels() throws IOException {
        // No container of the project runs, so the labels come from its compose file: max 6, not the policy's 4.
        Files.writeString(data.resolve("compose.yml"), """
                services:
                  webapp:
                    image: scaler-none
                    labels:
                      scaler.max: "6"
                """);
        ScalerApp app = resources.track(ScalerApp.start(data, Api.quietTarget(data, Map.of(
                "scaler.api.token", Api.TOKEN, "scaler.dry-run", true))));
        String scale = "/api/targets/webapp/scale";
        for (Case c : List.of(
                new Case(scale, "{\"replicas\": 3.5}", 400,
                        "replicas: 3.5 is not a whole number in int range; give a JSON integer like 3"),
                new Case(scale, "{\"replicas\": 3.0}", 400, "replicas: 3.0 is not a whole number"),
                new Case(scale, "{\"replicas\": 1e2}", 400, "replicas: 100.0 is not a whole number"),
                new Case(scale, "{\"replicas\": \"3\"}", 400,
                        "replicas: the string \\\"3\\\" is not a number; give a JSON integer like 3"),
                new Case(scale, "{\"replicas\": true}", 400, "replicas: the boolean true is not a number"),
                new Case(scale, "{\"replicas\": null}", 400, "replicas: missing"),
                new Case(scale, "{\"replicas\": 3000000000}", 400, "replicas: 3000000000 is not a whole number in int range"),
                new Case(scale, "{\"replicas\": 2, \"reason\": 5}", 400, "reason: the number 5 is not a string"),
                new Case(scale, "{\"replicas\": 2, \"replica\": 3}", 400,
                        "body: unknown field(s) [replica]; this endpoint takes [reason, replicas]"),
                new Case(scale, "[2]", 400, "body: expected a JSON object, got an array"),
                new Case(scale, "{\"replicas\": 7}", 400,
                        "replicas: 7 is outside 1..6, the bounds of target 'webapp' after its labels"),
                new Case(scale, "{\"replicas\": 0}", 400, "replicas: 0 is outside 1..6"),
                new Case("/api/targets/web%20spaced/scale", "{\"replicas\": 2}", 400,
                        "name: 'web spaced' is not a valid target name"),
                new Case("/api/targets/..%2Fx/scale", "{\"replicas\": 2}", 400, "name: '../x' is not a valid target name"),
                new Case("/api/targets/nope/scale", "{\"replicas\": 2}", 404, "no target named 'nope'"),
                new Case("/api/targets/web%20spaced/pause", "{}", 400, "name: 'web spaced'"),
                new Case("/api/targets/webapp/pause", "{\"reason\": 1}", 400, "reason: the number 1 is not a string"),
                new Case("/api/targets/webapp/dry-run", "{\"enabled\": \"true\"}", 400,
                        "enabled: the string \\\"true\\\" is not a boolean; give true or false"),
                new Case("/api/targets/webapp/dry-run", "{\"enabled\": 1}", 400, "enabled: the number 1 is not a boolean"),
                new Case("/api/targets/webapp/dry-run", "{\"enabled\": true, \"x\": 1}", 400, "body: unknown field(s) [x]"))) {
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
