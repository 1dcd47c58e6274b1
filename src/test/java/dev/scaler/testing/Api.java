package dev.scaler.testing;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Requests to a {@link ScalerApp}'s API with or without credentials. */
public final class Api {

    public static final String TOKEN = "test-token-0123456789";
    public static final String USER = "ops";
    public static final String PASSWORD = "s3cret:with-colon";

    private Api() {
    }

    /**
     * Target {@code webapp} on a Prometheus that is not there and a compose project that does not exist, and a
     * loop that never ticks on its own (1h): for tests of the API, where only API calls cause evaluations.
     */
    public static Map<String, Object> quietTarget(Path data, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put("scaler.poll-interval", "1h");
        p.put("scaler.initial-delay", "1h");
        p.put("scaler.prometheus.url", "http://127.0.0.1:9");
        p.put("scaler.targets.webapp.query", "up");
        p.put("scaler.targets.webapp.compose-project", "scalernothere");
        p.put("scaler.targets.webapp.compose-project-dir", data.toString());
        p.put("scaler.targets.webapp.min-replicas", 1);
        p.put("scaler.targets.webapp.max-replicas", 4);
        p.putAll(extra);
        return p;
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** POST {@code json} with {@code authorization} (null: no header); generous timeout, a playbook may run. */
    public static HttpResponse<String> post(ScalerApp app, String path, String authorization, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(150))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return app.send(b.build());
    }

    public static HttpResponse<String> post(ScalerApp app, String path, String json) {
        return post(app, path, bearer(TOKEN), json);
    }
}
