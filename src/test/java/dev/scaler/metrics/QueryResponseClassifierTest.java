package dev.scaler.metrics;

import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricState;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import static dev.scaler.decision.MetricState.DEGRADED;
import static dev.scaler.decision.MetricState.EMPTY;
import static dev.scaler.decision.MetricState.ERROR;
import static dev.scaler.decision.MetricState.HEALTHY;
import static dev.scaler.decision.MetricState.MULTIPLE_SERIES;
import static dev.scaler.decision.MetricState.NOT_A_NUMBER;
import static dev.scaler.decision.MetricState.NOT_READY;
import static dev.scaler.decision.MetricState.STALE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class QueryResponseClassifierTest {

    private static final Duration FRESHNESS = Duration.ofMinutes(2);
    /** 2026-01-01T00:00:00Z; samples below are relative to it. */
    private static final long NOW_SECONDS = 1_767_225_600L;
    private static final Instant NOW = Instant.ofEpochSecond(NOW_SECONDS);

    private final QueryResponseClassifier classifier = new QueryResponseClassifier(JsonMapper.createDefault(), FRESHNESS);

    static Stream<Arguments> cases() {
        return Stream.of(
                // name, HTTP status, body, expected state, expected value (NaN: none), text the detail must hold
                arguments("one fresh sample", 200, vector(sample(NOW_SECONDS, "12.5")), HEALTHY, 12.5, ""),
                arguments("zero is a real value", 200, vector(sample(NOW_SECONDS, "0")), HEALTHY, 0.0, ""),
                arguments("fractional timestamp", 200, vector(sample(NOW_SECONDS - 1.25, "3")), HEALTHY, 3.0, ""),
                arguments("scalar result", 200, scalar(NOW_SECONDS, "7"), HEALTHY, 7.0, ""),
                arguments("exactly at the freshness limit", 200, vector(sample(NOW_SECONDS - 120, "4")), HEALTHY, 4.0, ""),
                arguments("1 ms past the freshness limit", 200, vector(sample(NOW_SECONDS - 120.001, "4")), STALE, Double.NaN,
                        "PT2M0.001S"),
                arguments("10 minutes old", 200, vector(sample(NOW_SECONDS - 600, "4")), STALE, Double.NaN, "PT10M"),
                arguments("no series", 200, vector(), EMPTY, Double.NaN, "no series"),
                arguments("warnings and no series is EMPTY", 200, withWarnings(vector()), EMPTY, Double.NaN, ""),
                arguments("two series", 200, vector(sample(NOW_SECONDS, "1"), sample(NOW_SECONDS, "2")),
                        MULTIPLE_SERIES, Double.NaN, "2 series"),
                arguments("five series show three label sets", 200, vector(
                        sample(NOW_SECONDS, "1"), sample(NOW_SECONDS, "1"), sample(NOW_SECONDS, "1"),
                        sample(NOW_SECONDS, "1"), sample(NOW_SECONDS, "1")),
                        MULTIPLE_SERIES, Double.NaN, "5 series where one was expected: {__name__=\"m\", i=\"0\"}"),
                arguments("NaN", 200, vector(sample(NOW_SECONDS, "NaN")), NOT_A_NUMBER, Double.NaN, "NaN"),
                arguments("+Inf", 200, vector(sample(NOW_SECONDS, "+Inf")), NOT_A_NUMBER, Double.NaN, "+Inf"),
                arguments("-Inf", 200, vector(sample(NOW_SECONDS, "-Inf")), NOT_A_NUMBER, Double.NaN, "-Inf"),
                arguments("scalar NaN", 200, scalar(NOW_SECONDS, "NaN"), NOT_A_NUMBER, Double.NaN, "NaN"),
                arguments("negative", 200, vector(sample(NOW_SECONDS, "-3")), ERROR, Double.NaN, "negative"),
                arguments("warnings", 200, withWarnings(vector(sample(NOW_SECONDS, "5"))), DEGRADED, 5.0,
                        "PromQL info: something partial"),
                arguments("infos", 200, vector(sample(NOW_SECONDS, "5")).replace("\"status\":\"success\"",
                        "\"status\":\"success\",\"infos\":[\"an info\"]"), DEGRADED, 5.0, "an info"),
                arguments("warnings on a NaN", 200, withWarnings(vector(sample(NOW_SECONDS, "NaN"))), NOT_A_NUMBER,
                        Double.NaN, ""),
                arguments("400 bad_data", 400, error("bad_data", "1:5: parse error: unexpected <EOF>"), ERROR, Double.NaN,
                        "errorType=bad_data error=1:5: parse error"),
                arguments("422 execution", 422, error("execution", "query processing would load too many samples"),
                        ERROR, Double.NaN, "HTTP 422, errorType=execution"),
                arguments("503", 503, "Service Unavailable", NOT_READY, Double.NaN, "503"),
                arguments("503 with a timeout error body", 503, error("timeout", "query timed out"), NOT_READY, Double.NaN,
                        "errorType=timeout"),
                arguments("500 HTML", 500, "<html>oops</html>", ERROR, Double.NaN, "HTTP 500 body: <html>oops</html>"),
                arguments("404 from a proxy", 404, "", ERROR, Double.NaN, "HTTP 404"),
                arguments("200 with status error", 200, error("internal", "boom"), ERROR, Double.NaN,
                        "errorType=internal error=boom"),
                arguments("malformed JSON", 200, "{\"status\":\"success\",\"data\":", ERROR, Double.NaN, "not a JSON object"),
                arguments("not JSON at all", 200, "<html>login</html>", ERROR, Double.NaN, "<html>login</html>"),
                arguments("empty body", 200, "", ERROR, Double.NaN, "empty body"),
                arguments("JSON array", 200, "[1,2]", ERROR, Double.NaN, "not a JSON object"),
                arguments("no data", 200, "{\"status\":\"success\"}", ERROR, Double.NaN, "no data"),
                arguments("matrix", 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
                        ERROR, Double.NaN, "unsupported result type matrix"),
                arguments("string result", 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"string\","
                        + "\"result\":[1,\"x\"]}}", ERROR, Double.NaN, "unsupported result type string"),
                arguments("sample not a pair", 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                        + "\"result\":[{\"metric\":{},\"value\":[1]}]}}", ERROR, Double.NaN, "a sample must be"),
                arguments("value not a number", 200, vector(sample(NOW_SECONDS, "lots")), ERROR, Double.NaN, "lots"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classifies(String name, int status, String body, MetricState state, double value, String detail) {
        MetricReading reading = classifier.classify(status, body, NOW);

        assertThat(reading.state()).as(reading.toString()).isEqualTo(state);
        assertThat(reading.detail()).contains(detail);
        if (state.hasValue()) {
            assertThat(reading.value()).isEqualTo(value);
            assertThat(reading.sampledAt()).isNotNull();
        } else {
            assertThat(reading.value()).isNaN();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyNonHealthyReadingExplainsItself(String name, int status, String body, MetricState state, double value,
                                              String detail) {
        MetricReading reading = classifier.classify(status, body, NOW);
        if (reading.state() != HEALTHY) {
            assertThat(reading.detail()).isNotBlank();
        }
    }

    @org.junit.jupiter.api.Test
    void sampleTimestampKeepsMilliseconds() {
        MetricReading reading = classifier.classify(200, vector(sample(NOW_SECONDS - 1.781, "1")), NOW);

        assertThat(reading.sampledAt()).isEqualTo(NOW.minusMillis(1781));
    }

    private static String sample(double unixSeconds, String value) {
        return "[" + java.math.BigDecimal.valueOf(unixSeconds).toPlainString() + ",\"" + value + "\"]";
    }

    private static String vector(String... samples) {
        StringBuilder result = new StringBuilder();
        for (int i = 0; i < samples.length; i++) {
            result.append(i == 0 ? "" : ",")
                    .append("{\"metric\":{\"__name__\":\"m\",\"i\":\"").append(i).append("\"},\"value\":")
                    .append(samples[i]).append('}');
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + result + "]}}";
    }

    private static String scalar(long unixSeconds, String value) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":" + sample(unixSeconds, value) + "}}";
    }

    private static String withWarnings(String body) {
        return body.replace("\"status\":\"success\"", "\"status\":\"success\",\"warnings\":[\"PromQL info: something partial\"]");
    }

    private static String error(String type, String message) {
        return "{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":\"" + message + "\"}";
    }
}
