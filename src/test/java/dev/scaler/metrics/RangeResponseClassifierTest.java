package dev.scaler.metrics;

import dev.scaler.decision.MetricState;
import dev.scaler.decision.RangeReading;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
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
import static dev.scaler.decision.MetricState.NOT_READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Table of {@link QueryResponseClassifier#classifyRange}: answers of {@code /api/v1/query_range}. */
class RangeResponseClassifierTest {

    private final QueryResponseClassifier classifier = new QueryResponseClassifier(JsonMapper.createDefault(),
            Duration.ofMinutes(2));

    static String matrix(String... series) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + String.join(",", series)
                + "]}}";
    }

    static String series(String label, String values) {
        return "{\"metric\":{\"i\":\"" + label + "\"},\"values\":[" + values + "]}";
    }

    static Stream<Arguments> cases() {
        String two = "[100,\"1\"],[101.5,\"2\"]";
        return Stream.of(
                // name, status, body, state, samples, text the detail must hold
                arguments("one series", 200, matrix(series("a", two)), HEALTHY, 2, ""),
                arguments("NaN samples are kept for the judge", 200, matrix(series("a", "[100,\"NaN\"],[101,\"+Inf\"]")),
                        HEALTHY, 2, ""),
                arguments("no series", 200, matrix(), EMPTY, 0, "no series"),
                arguments("two series", 200, matrix(series("a", two), series("b", two)), MULTIPLE_SERIES, 0,
                        "2 series where one was expected"),
                arguments("warnings", 200, matrix(series("a", two)).replace("}}", "},\"warnings\":[\"partial\"]}"),
                        DEGRADED, 2, "Prometheus warned: partial"),
                arguments("a vector is not a range", 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                        + "\"result\":[]}}", ERROR, 0, "matrix"),
                arguments("bad query", 400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}",
                        ERROR, 0, "HTTP 400, errorType=bad_data error=parse error"),
                arguments("not ready", 503, "Service Unavailable", NOT_READY, 0, "HTTP 503"),
                arguments("not JSON", 200, "<html>", ERROR, 0, "not a JSON object"),
                arguments("bad sample", 200, matrix(series("a", "[100,1]")), ERROR, 0, "a sample must be"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classifies(String name, int status, String body, MetricState state, int samples, String detail) {
        RangeReading r = classifier.classifyRange(status, body);

        assertThat(r.state()).as(r.toString()).isEqualTo(state);
        assertThat(r.samples()).hasSize(samples);
        assertThat(r.detail()).contains(detail);
    }

    @Test
    void timestampsAreExactToTheMillisecond() {
        RangeReading r = classifier.classifyRange(200, matrix(series("a", "[1767225600.25,\"3\"]")));

        assertThat(r.samples().get(0).at()).isEqualTo(Instant.parse("2026-01-01T00:00:00.250Z"));
        assertThat(r.samples().get(0).value()).isEqualTo(3.0);
    }
}
