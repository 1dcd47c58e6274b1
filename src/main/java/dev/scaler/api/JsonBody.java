package dev.scaler.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;

import java.io.IOException;

/**
 * Reads a request body ourselves rather than through {@code @Body Record}: so a bad body gets our
 * {@link ApiError} naming the problem (with the parser's own words), not the framework's generic page.
 */
final class JsonBody {

    private JsonBody() {
    }

    /** The parsed value, or the 400 to send. */
    record Parsed<T>(T value, HttpResponse<ApiError> error) {
    }

    static <T> Parsed<T> parse(JsonMapper json, @Nullable String body, Class<T> type, boolean required) {
        if (body == null || body.isBlank()) {
            if (required) {
                return new Parsed<>(null, TargetsController.error(HttpStatus.BAD_REQUEST,
                        "body: empty; expected a JSON object"));
            }
            body = "{}";
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                return new Parsed<>(null, TargetsController.error(HttpStatus.BAD_REQUEST,
                        "body: expected a JSON object, got null"));
            }
            return new Parsed<>(value, null);
        } catch (IOException | RuntimeException e) {
            return new Parsed<>(null, TargetsController.error(HttpStatus.BAD_REQUEST,
                    "body: not valid JSON for this endpoint: " + firstLine(e.getMessage())));
        }
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
