package dev.scaler.metrics;

import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricState;
import dev.scaler.decision.RangeReading;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Turns one answer of the Prometheus instant query API ({@code /api/v1/query}) into a {@link MetricReading}.
 * Pure: no I/O, no clock; the caller passes the status code, the body and "now", so every rule can be tested
 * from a table.
 */
public final class QueryResponseClassifier {

    /** How many label sets a MULTIPLE_SERIES detail shows. */
    static final int SERIES_SHOWN = 3;
    private static final int BODY_SHOWN = 200;

    private static final Argument<JsonNode> JSON_NODE = Argument.of(JsonNode.class);

    private final JsonMapper json;
    private final Duration freshness;

    public QueryResponseClassifier(JsonMapper json, Duration freshness) {
        this.json = json;
        this.freshness = freshness;
    }

    public MetricReading classify(int httpStatus, String body, Instant now) {
        return classify(httpStatus, body == null ? null : body.getBytes(StandardCharsets.UTF_8), now);
    }

    /** {@link #classify(int, String, Instant)} of the body's bytes as they came (UTF-8, as Prometheus writes). */
    public MetricReading classify(int httpStatus, byte[] body, Instant now) {
        if (httpStatus == 503) {
            return fail(MetricState.NOT_READY, "HTTP 503" + errorSuffix(body));
        }
        JsonNode root = parse(body);
        if (httpStatus < 200 || httpStatus > 299) {
            String error = root == null ? " body: " + abbreviate(body) : errorSuffix(body);
            return fail(MetricState.ERROR, "HTTP " + httpStatus + error);
        }
        if (root == null || !root.isObject()) {
            return fail(MetricState.ERROR, "response is not a JSON object: " + abbreviate(body));
        }
        String status = text(root.get("status"));
        if ("error".equals(status)) {
            return fail(MetricState.ERROR, describeError(root));
        }
        if (!"success".equals(status)) {
            return fail(MetricState.ERROR, "unexpected response shape: status is " + status);
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            return fail(MetricState.ERROR, "unexpected response shape: no data object");
        }
        String resultType = text(data.get("resultType"));
        JsonNode result = data.get("result");
        if (result == null) {
            return fail(MetricState.ERROR, "unexpected response shape: no data.result");
        }
        JsonNode sample;
        if ("vector".equals(resultType)) {
            if (!result.isArray()) {
                return fail(MetricState.ERROR, "unexpected response shape: vector result is not an array");
            }
            if (result.size() == 0) {
                return fail(MetricState.EMPTY, "the query matched no series");
            }
            if (result.size() > 1) {
                return fail(MetricState.MULTIPLE_SERIES, describeSeries(result));
            }
            sample = result.get(0).get("value");
        } else if ("scalar".equals(resultType)) {
            sample = result;
        } else {
            return fail(MetricState.ERROR, "unsupported result type " + resultType
                    + "; the query must return an instant vector with one series or a scalar");
        }
        return classifySample(sample, warnings(root), now);
    }

    /**
     * Turns one answer of the range query API ({@code /api/v1/query_range}) into the samples of its one series.
     * The failure states mean what they mean for an instant query; no series at all is EMPTY. Sample values are
     * kept as given (NaN included): judging them is the band rule's job.
     */
    public RangeReading classifyRange(int httpStatus, String body) {
        return classifyRange(httpStatus, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #classifyRange(int, String)} of the body's bytes as they came. */
    public RangeReading classifyRange(int httpStatus, byte[] body) {
        if (httpStatus == 503) {
            return RangeReading.failed(MetricState.NOT_READY, "HTTP 503" + errorSuffix(body));
        }
        JsonNode root = parse(body);
        if (httpStatus < 200 || httpStatus > 299) {
            String error = root == null ? " body: " + abbreviate(body) : errorSuffix(body);
            return RangeReading.failed(MetricState.ERROR, "HTTP " + httpStatus + error);
        }
        if (root == null || !root.isObject()) {
            return RangeReading.failed(MetricState.ERROR, "response is not a JSON object: " + abbreviate(body));
        }
        String status = text(root.get("status"));
        if (!"success".equals(status)) {
            return RangeReading.failed(MetricState.ERROR, "error".equals(status) ? describeError(root)
                    : "unexpected response shape: status is " + status);
        }
        JsonNode data = root.get("data");
        JsonNode result = data == null ? null : data.get("result");
        if (data == null || !"matrix".equals(text(data.get("resultType"))) || result == null || !result.isArray()) {
            return RangeReading.failed(MetricState.ERROR, "unexpected response shape: a range query answers a matrix");
        }
        if (result.size() == 0) {
            return RangeReading.failed(MetricState.EMPTY, "the query matched no series in the window");
        }
        if (result.size() > 1) {
            return RangeReading.failed(MetricState.MULTIPLE_SERIES, describeSeries(result));
        }
        JsonNode values = result.get(0).get("values");
        if (values == null || !values.isArray()) {
            return RangeReading.failed(MetricState.ERROR, "unexpected response shape: the series has no values");
        }
        List<RangeReading.Sample> samples = new ArrayList<>();
        for (JsonNode pair : values.values()) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber() || !pair.get(1).isString()) {
                return RangeReading.failed(MetricState.ERROR,
                        "unexpected response shape: a sample must be [<unix time>, \"<value>\"]");
            }
            try {
                samples.add(new RangeReading.Sample(toInstant(pair.get(0).getNumberValue()),
                        parseValue(pair.get(1).getStringValue())));
            } catch (NumberFormatException | ArithmeticException e) {
                return RangeReading.failed(MetricState.ERROR, "unexpected sample " + pair + ": " + e.getMessage());
            }
        }
        List<String> warnings = warnings(root);
        return RangeReading.of(samples, warnings.isEmpty() ? "" : "Prometheus warned: " + String.join("; ", warnings));
    }

    private MetricReading classifySample(JsonNode sample, List<String> warnings, Instant now) {
        if (sample == null || !sample.isArray() || sample.size() != 2
                || !sample.get(0).isNumber() || !sample.get(1).isString()) {
            return fail(MetricState.ERROR, "unexpected response shape: a sample must be [<unix time>, \"<value>\"]");
        }
        Instant sampledAt;
        double value;
        try {
            sampledAt = toInstant(sample.get(0).getNumberValue());
            value = parseValue(sample.get(1).getStringValue());
        } catch (NumberFormatException | ArithmeticException e) {
            return fail(MetricState.ERROR, "unexpected sample " + sample.get(0).getNumberValue() + ", \""
                    + sample.get(1).getStringValue() + "\": " + e.getMessage());
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return fail(MetricState.NOT_A_NUMBER, "the sample is " + sample.get(1).getStringValue() + " at " + sampledAt);
        }
        if (value < 0) {
            return fail(MetricState.ERROR, "the sample is negative (" + value + " at " + sampledAt
                    + "); a load cannot be negative");
        }
        Duration age = Duration.between(sampledAt, now);
        if (age.compareTo(freshness) > 0) {
            return new MetricReading(MetricState.STALE, Double.NaN, sampledAt,
                    "the sample is " + age.truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + " old (at " + sampledAt + "), older than the freshness limit " + freshness);
        }
        if (!warnings.isEmpty()) {
            return MetricReading.degraded(value, sampledAt, "Prometheus warned: " + String.join("; ", warnings));
        }
        return MetricReading.healthy(value, sampledAt);
    }

    /** A sample value as Prometheus writes it; also used by the backtest's range reader. */
    public static double parseValue(String text) {
        // Prometheus writes infinities as +Inf/-Inf, which Double.parseDouble does not accept.
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static Instant toInstant(Number unixSeconds) {
        BigDecimal seconds = new BigDecimal(unixSeconds.toString());
        BigDecimal whole = seconds.setScale(0, java.math.RoundingMode.FLOOR);
        long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    }

    private static List<String> warnings(JsonNode root) {
        List<String> out = new ArrayList<>();
        for (String key : List.of("warnings", "infos")) {
            JsonNode list = root.get(key);
            if (list != null && list.isArray()) {
                for (JsonNode w : list.values()) {
                    out.add(text(w));
                }
            }
        }
        return out;
    }

    private static String describeSeries(JsonNode result) {
        StringJoiner shown = new StringJoiner(", ");
        for (int i = 0; i < Math.min(SERIES_SHOWN, result.size()); i++) {
            JsonNode metric = result.get(i).get("metric");
            StringJoiner labels = new StringJoiner(", ", "{", "}");
            if (metric != null && metric.isObject()) {
                for (Map.Entry<String, JsonNode> e : metric.entries()) {
                    labels.add(e.getKey() + "=\"" + text(e.getValue()) + "\"");
                }
            }
            shown.add(labels.toString());
        }
        String more = result.size() > SERIES_SHOWN ? ", ..." : "";
        return result.size() + " series where one was expected: " + shown + more;
    }

    private String errorSuffix(byte[] body) {
        JsonNode root = parse(body);
        return root != null && root.isObject() && root.get("errorType") != null ? ", " + describeError(root) : "";
    }

    private static String describeError(JsonNode root) {
        return "errorType=" + text(root.get("errorType")) + " error=" + text(root.get("error"));
    }

    private JsonNode parse(byte[] body) {
        if (body == null || isBlank(body)) {
            return null;
        }
        try {
            return json.readValue(body, JSON_NODE);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isString() ? node.getStringValue() : node.toString();
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String oneLine = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        return oneLine.length() <= BODY_SHOWN ? oneLine : oneLine.substring(0, BODY_SHOWN) + "...";
    }

    private static MetricReading fail(MetricState state, String detail) {
        return MetricReading.failed(state, detail);
    }
}
