package dev.scaler.backtest;

import dev.scaler.metrics.QueryResponseClassifier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a recorded load from Prometheus' {@code /api/v1/query_range}: the query's one series from
 * {@code from} to {@code to} at {@code step}. Long ranges are fetched in chunks below Prometheus' limit
 * of 11,000 points per series. A step with no sample stays NaN (no data), never zero.
 */
public final class PrometheusRange {

    /** Prometheus refuses more than 11,000 points per series in one query. */
    static final int POINTS_PER_REQUEST = 10_000;
    private static final JsonFactory JSON = new JsonFactory();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    public PrometheusRange(URI base, Duration timeout) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public LoadTrace read(String query, Instant from, Instant to, Duration step) {
        if (!to.isAfter(from)) {
            throw new BacktestInputException("--to (" + to + ") must be after --from (" + from + ")");
        }
        if (step.toMillis() < 1) {
            throw new BacktestInputException("--step must be at least 1ms, got " + step);
        }
        long points = Duration.between(from, to).toMillis() / step.toMillis() + 1;
        if (points > 20_000_000L) {
            throw new BacktestInputException("--from .. --to at --step " + step + " is " + points
                    + " points; use a longer step");
        }
        double[] values = new double[(int) points];
        Arrays.fill(values, Double.NaN);
        for (long first = 0; first < points; first += POINTS_PER_REQUEST) {
            long last = Math.min(points - 1, first + POINTS_PER_REQUEST - 1);
            Instant chunkStart = from.plus(step.multipliedBy(first));
            Instant chunkEnd = from.plus(step.multipliedBy(last));
            fill(values, from, step, fetch(query, chunkStart, chunkEnd, step));
        }
        return new LoadTrace("prometheus " + base + " query " + query, from, step, values);
    }

    private static void fill(double[] values, Instant from, Duration step, List<double[]> samples) {
        long fromMillis = from.toEpochMilli();
        for (double[] sample : samples) {
            long offset = Math.round(sample[0] * 1000) - fromMillis;
            long index = Math.round((double) offset / step.toMillis());
            if (index >= 0 && index < values.length) {
                values[(int) index] = sample[1];
            }
        }
    }

    /** The [unix seconds, value] pairs of the one series, or an error naming what went wrong. */
    private List<double[]> fetch(String query, Instant start, Instant end, Duration step) {
        URI uri = base.resolve("api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=" + seconds(start) + "&end=" + seconds(end) + "&step=" + seconds(step));
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable(e);
        } catch (HttpTimeoutException e) {
            throw new BacktestInputException("Prometheus at " + base + " did not answer within " + timeout, e);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BacktestInputException("interrupted while querying Prometheus", e);
        }
        Map<String, Object> root = parse(response.body(), response.statusCode());
        if (!"success".equals(root.get("status"))) {
            throw new BacktestInputException("Prometheus at " + base + " answered HTTP " + response.statusCode() + ": "
                    + root.getOrDefault("errorType", "error") + ": " + root.getOrDefault("error", abbreviate(response.body())));
        }
        Map<String, Object> data = object(root.get("data"), "data");
        if (!"matrix".equals(data.get("resultType"))) {
            throw new BacktestInputException("the query " + query + " returned a " + data.get("resultType")
                    + ", not a range vector (matrix)");
        }
        List<Object> result = list(data.get("result"), "data.result");
        if (result.isEmpty()) {
            return List.of();
        }
        if (result.size() > 1) {
            List<Object> labels = new ArrayList<>();
            for (Object series : result.subList(0, Math.min(3, result.size()))) {
                labels.add(object(series, "series").get("metric"));
            }
            throw new BacktestInputException("the query " + query + " returned " + result.size() + " series, e.g. "
                    + labels + "; it must return one (wrap it in sum(...))");
        }
        List<double[]> samples = new ArrayList<>();
        for (Object pair : list(object(result.get(0), "series").get("values"), "values")) {
            List<Object> p = list(pair, "a sample");
            double v = QueryResponseClassifier.parseValue(String.valueOf(p.get(1)));
            if (Double.isFinite(v) && v >= 0) {
                samples.add(new double[] {((Number) p.get(0)).doubleValue(), v});
            }
            // NaN, infinite or negative: the live service would not use it either, so no data
        }
        return samples;
    }

    private BacktestInputException unreachable(Exception e) {
        return new BacktestInputException("Prometheus at " + base + " is unreachable: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }

    private Map<String, Object> parse(String body, int status) {
        try (JsonParser p = JSON.createParser(body)) {
            Object value = read(p, p.nextToken());
            if (value instanceof Map<?, ?>) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) value;
                return map;
            }
        } catch (IOException e) {
            // reported below with the body
        }
        throw new BacktestInputException("Prometheus at " + base + " answered HTTP " + status
                + " with something that is not its JSON API: " + abbreviate(body));
    }

    /** A JSON value as maps, lists, strings, numbers, booleans and null: enough for Prometheus' answers. */
    private static Object read(JsonParser p, JsonToken token) throws IOException {
        if (token == null) {
            throw new IOException("unexpected end of JSON");
        }
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String name = p.currentName();
                    map.put(name, read(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    list.add(read(p, t));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected JSON token " + token);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new BacktestInputException("Prometheus at " + base + " answered an unexpected shape: " + what
                + " is not an object");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object value, String what) {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new BacktestInputException("Prometheus at " + base + " answered an unexpected shape: " + what
                + " is not a list");
    }

    private static String seconds(Instant at) {
        return BigDecimal.valueOf(at.toEpochMilli()).movePointLeft(3).toPlainString();
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).toPlainString();
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 200 ? one : one.substring(0, 197) + "...";
    }
}
