package dev.scaler.target;

import dev.scaler.decision.MetricRule;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Table of the {@code metrics:} list parser: what is accepted, and each bad entry named by index and field. */
class MetricRulesTest {

    static final String P = "scaler.targets.web.";

    static Map<String, Object> bands() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "latency");
        m.put("query", "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))");
        m.put("out-threshold", 0.5);
        m.put("out-duration", "2m");
        m.put("in-threshold", "0.2");
        m.put("in-duration", "10m");
        return m;
    }

    static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        return m;
    }

    record Bad(String name, Map<String, Object> entry, String problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> bad() {
        return Stream.of(
                new Bad("in above out", with(bands(), "in-threshold", 80), P
                        + "metrics[0].in-threshold: must be below out-threshold (0.500), got 80"),
                new Bad("no name", with(bands(), "name", null), P
                        + "metrics[0].name: is required (names the metric in reasons and history)"),
                new Bad("no query", with(bands(), "query", " "), P
                        + "metrics[0].query: is required (PromQL returning one series)"),
                new Bad("no out-duration", with(bands(), "out-duration", null), P
                        + "metrics[0].out-duration: is required for a threshold-band metric"),
                new Bad("threshold not a number", with(bands(), "out-threshold", "high"), P
                        + "metrics[0].out-threshold: 'high' is not a number"),
                new Bad("plain seconds", with(bands(), "in-duration", 600), P
                        + "metrics[0].in-duration: '600' is not a duration (use 250ms, 15s, 5m, 1h, 1d or ISO-8601 like PT15S)"),
                new Bad("step zero", with(bands(), "step-out", 0), P + "metrics[0].step-out: must be at least 1, got '0'"),
                new Bad("step words", with(bands(), "step-in", "some"), P
                        + "metrics[0].step-in: 'some' is not a whole number of replicas (2) or a percent (50%)"),
                new Bad("window below resolution", with(with(bands(), "resolution", "1m"), "out-duration", "30s"), P
                        + "metrics[0].out-duration: must be at least the resolution (60s), got 30s"),
                new Bad("tracking field on bands", with(bands(), "capacity-per-replica", 10), P
                        + "metrics[0].capacity-per-replica: is for a tracking metric; this one has threshold bands"
                        + " (out-threshold, in-threshold)"),
                new Bad("tracking tolerance out of range", Map.of("name", "rps", "query", "q", "tolerance", 1.5), P
                        + "metrics[0].tolerance: must be in [0, 1), got 1.5"),
                new Bad("unknown field", with(bands(), "threshold", 3), P + "metrics[0].threshold: unknown field;"
                        + " known fields: capacity-per-replica, container, in-duration, in-threshold, name, out-duration,"
                        + " out-threshold, query, resolution, step-in, step-out, tolerance"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void eachBadEntryIsNamedByIndexAndField(Bad c) {
        MetricRules.Parsed parsed = MetricRules.from(List.of(c.entry()), P, Set.of());

        assertThat(parsed.problems()).containsExactly(c.problem());
        assertThat(parsed.rules()).isEmpty();
    }

    @Test
    void bandsAndTrackingEntriesAreRead() {
        MetricRules.Parsed parsed = MetricRules.from(List.of(
                with(with(with(bands(), "step-out", "50%"), "step-in", 2), "resolution", "5s"),
                Map.of("name", "rps", "query", "sum(rate(http_requests_total[1m]))", "capacity-per-replica", "50")),
                P, Set.of());

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.rules()).containsExactly(
                new MetricRule.Bands("latency", bands().get("query").toString(), 0.5, Duration.ofMinutes(2), 0.2,
                        Duration.ofMinutes(10), MetricRule.Step.percent(50), MetricRule.Step.replicas(2),
                        Duration.ofSeconds(5)),
                new MetricRule.Tracking("rps", "sum(rate(http_requests_total[1m]))", 50.0, null));
    }

    /** A container metric's query is written over Scaler's own series of the target's containers. */
    @Test
    void containerMetricsGetTheirQuery() {
        Map<String, Object> band = with(with(bands(), "query", null), "container", "cpu");
        MetricRules.Parsed parsed = MetricRules.from(List.of(
                Map.of("name", "cpu", "container", "cpu", "capacity-per-replica", 0.7),
                Map.of("name", "mem", "container", "Memory", "capacity-per-replica", "0.8"),
                band), P, Set.of(), "web");

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.rules()).containsExactly(
                new MetricRule.Tracking("cpu", "sum(scaler_container_cpu_ratio{target=\"web\"})", 0.7, null),
                new MetricRule.Tracking("mem", "sum(scaler_container_memory_ratio{target=\"web\"})", 0.8, null),
                new MetricRule.Bands("latency", "avg(scaler_container_cpu_ratio{target=\"web\"})", 0.5,
                        Duration.ofMinutes(2), 0.2, Duration.ofMinutes(10), MetricRule.Step.replicas(1),
                        MetricRule.Step.replicas(1), MetricRule.Bands.DEFAULT_RESOLUTION));
    }

    @Test
    void badContainerMetricsAreNamedByIndexAndField() {
        MetricRules.Parsed parsed = MetricRules.from(List.of(
                Map.of("name", "a", "container", "disk", "capacity-per-replica", 0.7),
                Map.of("name", "b", "container", "cpu", "query", "up", "capacity-per-replica", 0.7),
                Map.of("name", "c", "container", "cpu")), P, Set.of(), "web");

        assertThat(parsed.problems()).containsExactly(
                P + "metrics[0].container: 'disk' is not a container metric (use cpu or memory)",
                P + "metrics[1].container: a container metric writes its own query; remove query, or container",
                P + "metrics[2].capacity-per-replica: is required for a container metric that tracks a target"
                        + " (the ratio each replica should carry, like 0.7)");
        assertThat(parsed.rules()).isEmpty();
        assertThat(MetricRules.from(List.of(Map.of("name", "c", "container", "cpu", "capacity-per-replica", 1)), P,
                Set.of()).problems()).containsExactly(P + "metrics[0].container: needs the target's name");
    }

    @Test
    void namesAreUniqueIncludingTheQueryShorthand() {
        MetricRules.Parsed parsed = MetricRules.from(List.of(bands(), bands(), with(bands(), "name", "query")), P,
                Set.of(MetricRule.SHORTHAND_NAME));

        assertThat(parsed.problems()).containsExactly(
                P + "metrics[1].name: 'latency' is used by another metric of this target",
                P + "metrics[2].name: 'query' is used by another metric of this target");
    }

    @Test
    void problemsOfSeveralEntriesAreAllReported() {
        MetricRules.Parsed parsed = MetricRules.from(List.of(with(bands(), "in-threshold", 80),
                with(bands(), "out-threshold", "x")), "policy.yml: targets.web.", Set.of());

        assertThat(parsed.problems()).containsExactly(
                "policy.yml: targets.web.metrics[0].in-threshold: must be below out-threshold (0.500), got 80",
                "policy.yml: targets.web.metrics[1].out-threshold: 'x' is not a number");
    }

    @Test
    void aTargetWithQueryAndAMetricsListHasBoth() {
        Map<String, Object> p = TargetsTest.minimal();
        p.put(P + "metrics", List.of(bands()));
        try (ApplicationContext context = ApplicationContext.run(p)) {
            Target t = context.getBean(TargetRegistry.class).find("web").orElseThrow();

            assertThat(t.metrics()).extracting(MetricRule::name).containsExactly("query", "latency");
            assertThat(t.metrics().get(1)).isInstanceOf(MetricRule.Bands.class);
        }
    }

    @Test
    void aTargetMayHaveOnlyAMetricsListInIndexedPropertyForm() {
        // the form environment variables and .properties files give: SCALER_TARGETS_WEB_METRICS_0_NAME ...
        Map<String, Object> p = new HashMap<>();
        p.put(P + "compose-project", "demo");
        p.put(P + "metrics[0].name", "cpu");
        p.put(P + "metrics[0].query", "sum(rate(container_cpu_usage_seconds_total[1m]))");
        p.put(P + "metrics[0].out-threshold", "0.8");
        p.put(P + "metrics[0].out-duration", "1m");
        p.put(P + "metrics[0].in-threshold", "0.3");
        p.put(P + "metrics[0].in-duration", "5m");
        try (ApplicationContext context = ApplicationContext.run(p)) {
            Target t = context.getBean(TargetRegistry.class).find("web").orElseThrow();

            assertThat(t.query()).isNull();
            assertThat(t.metrics()).singleElement().isInstanceOf(MetricRule.Bands.class);
            assertThat(((MetricRule.Bands) t.metrics().get(0)).outThreshold()).isEqualTo(0.8);
        }
    }

    static final String YAML = """
            scaler:
              targets:
                web:
                  compose-project: demo
                  metrics:
                    - name: latency
                      query: histogram_quantile(0.95, sum by (le) (rate(h_bucket[1m])))
                      out-threshold: 0.5
                      out-duration: 2m
                      in-threshold: 0.2
                      in-duration: 10m
                      step-out: 50%
                    - name: rps
                      query: sum(rate(http_requests_total[1m]))
                      capacity-per-replica: 50
            """;

    @Test
    void aMetricsListInApplicationYamlBinds() throws Exception {
        Map<String, Object> props = new io.micronaut.context.env.yaml.YamlPropertySourceLoader()
                .read("application.yml", new java.io.ByteArrayInputStream(YAML.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try (ApplicationContext context = ApplicationContext.run(io.micronaut.context.env.PropertySource.of("test", props))) {
            Target t = context.getBean(TargetRegistry.class).find("web").orElseThrow();

            assertThat(t.metrics()).extracting(MetricRule::name).containsExactly("latency", "rps");
            assertThat(((MetricRule.Bands) t.metrics().get(0)).stepOut()).isEqualTo(MetricRule.Step.percent(50));
            assertThat(((MetricRule.Tracking) t.metrics().get(1)).capacityPerReplica()).isEqualTo(50.0);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aListAsSnakeYamlLoadsItIsWhatAPolicyFileReaderHands() {
        Map<String, Object> root = new org.yaml.snakeyaml.Yaml().load(YAML);
        Map<String, Object> web = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) root.get("scaler"))
                .get("targets")).get("web");

        MetricRules.Parsed parsed = MetricRules.from((List<Map<String, Object>>) web.get("metrics"),
                "policy.yml: targets.web.", Set.of());

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.rules()).hasSize(2);
    }

    @Test
    void aBadEntryStopsStartupNamingIt() {
        Map<String, Object> p = TargetsTest.minimal();
        p.put(P + "metrics", List.of(with(bands(), "in-threshold", 80)));

        assertThat(TargetsTest.startupProblems(p)).containsExactly(
                P + "metrics[0].in-threshold: must be below out-threshold (0.500), got 80");
    }
}
