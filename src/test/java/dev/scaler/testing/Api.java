package dev.scaler.testing;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Requests to a {@link ScalerApp}'s API with or without credentials. */
public final class Api {

    public static final String TOKEN = "test-token-0123456789";
    public static final String USER = "ops";
    public static final String PASSWORD = "s3cret:with-colon";

    private Api() {
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
