package dev.scaler.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a request body ourselves rather than through {@code @Body Record}: so a bad body gets our
 * {@link ApiError} naming the problem (with the parser's own words), not the framework's generic page, and
 * so no value is converted behind our back ({@code 3.5} or {@code "3"} for a count, {@code "yes"} for a
 * boolean): each field must have its JSON type, and an unknown field is refused rather than ignored.
 */
final class JsonBody {

    private JsonBody() {
    }

    /** The parsed fields, or the 400 to send. */
    record Parsed(Fields value, HttpResponse<ApiError> error) {
    }

    /** A field of the wrong JSON type; its message names the field and what was given. */
    static final class BadField extends RuntimeException {
        BadField(String message) {
            super(message, null, false, false);
        }
    }

    /** The fields of one JSON object; absent and {@code null} alike read as "not given" (null). */
    record Fields(Map<String, JsonNode> values) {

        /** A JSON integer within int range: not a fraction, a string or a boolean. */
        Integer integer(String field) {
            JsonNode v = given(field);
            if (v == null) {
                return null;
            }
            if (!v.isNumber()) {
                throw new BadField(field + ": " + describe(v) + " is not a number; give a JSON integer like 3");
            }
            Number n = v.getNumberValue();
            boolean whole = n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                    || n instanceof BigInteger;
            BigInteger big = n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
            if (!whole || big.bitLength() >= Integer.SIZE) {
                throw new BadField(field + ": " + n + " is not a whole number in int range; give a JSON integer"
                        + " like 3");
            }
            return n.intValue();
        }

        /** A JSON boolean: not "true", not 1. */
        Boolean bool(String field) {
            JsonNode v = given(field);
            if (v != null && !v.isBoolean()) {
                throw new BadField(field + ": " + describe(v) + " is not a boolean; give true or false");
            }
            return v == null ? null : v.getBooleanValue();
        }

        /** A JSON string. */
        String string(String field) {
            JsonNode v = given(field);
            if (v != null && !v.isString()) {
                throw new BadField(field + ": " + describe(v) + " is not a string; give a JSON string");
            }
            return v == null ? null : v.getStringValue();
        }

        private JsonNode given(String field) {
            JsonNode v = values.get(field);
            return v == null || v.isNull() ? null : v;
        }
    }

    /**
     * @param fields   the fields the endpoint knows; any other is refused
     * @param required whether an empty body is refused (otherwise it reads as {@code {}})
     */
    static Parsed parse(JsonMapper json, @Nullable String body, Set<String> fields, boolean required) {
        if (body == null || body.isBlank()) {
            if (required) {
                return failedParse("body: empty; expected a JSON object");
            }
            body = "{}";
        }
        JsonNode tree;
        try {
            tree = json.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            return failedParse("body: not valid JSON for this endpoint: " + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            return failedParse("body: expected a JSON object, got " + (tree == null ? "null" : describe(tree)));
        }
        Map<String, JsonNode> values = new java.util.LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : tree.entries()) {
            if (fields.contains(e.getKey())) {
                values.put(e.getKey(), e.getValue());
            } else {
                unknown.add(e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            return failedParse("body: unknown field(s) " + unknown + "; this endpoint takes " + new java.util.TreeSet<>(fields));
        }
        return new Parsed(new Fields(Map.copyOf(values)), null);
    }

    static HttpResponse<ApiError> failed(String message) {
        return TargetsController.error(HttpStatus.BAD_REQUEST, message);
    }

    private static Parsed failedParse(String message) {
        return new Parsed(null, failed(message));
    }

    private static String describe(JsonNode v) {
        if (v.isString()) {
            String s = v.getStringValue();
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (v.isBoolean()) {
            return "the boolean " + v.getBooleanValue();
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isNumber()) {
            return "the number " + v.getNumberValue();
        }
        return "null";
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
