package dev.scaler.policy;

import dev.scaler.target.Target;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy file's messages: file, line, field and value, every error at once. */
class PolicyReaderTest {

    static final Path INVENTORY = Path.of("inventories/local/hosts.yml");

    static PolicyReader.Result parse(String yaml) {
        return PolicyReader.parse("policy.yml", yaml, INVENTORY);
    }

    @Test
    void manyTargetsEachWithItsOwnPolicyAndTheServiceDefaults() {
        PolicyReader.Result r = parse("""
                targets:
                  web:
                    query: sum(rate(http_requests_total{job="web"}[1m]))
                    compose-project: shop
                    max-replicas: 8
                    capacity-per-replica: 50
                  worker:
                    query: sum(queue_depth)
                    compose-project: shop
                    service: queue-worker
                    compose-files: [compose.yml, compose.prod.yml]
                    scale-down-cooldown: 1m
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(r.targets()).extracting(Target::name).containsExactly("web", "worker");
        Target web = r.targets().get(0);
        assertThat(web.policy().maxReplicas()).isEqualTo(8);
        assertThat(web.policy().minReplicas()).isEqualTo(1);
        assertThat(web.compose().service()).isEqualTo("web");
        Target worker = r.targets().get(1);
        assertThat(worker.compose().service()).isEqualTo("queue-worker");
        assertThat(worker.compose().composeFiles()).containsExactly(Path.of("compose.yml"), Path.of("compose.prod.yml"));
        assertThat(worker.policy().scaleDownCooldown()).hasMinutes(1);
    }

    @Test
    void aMetricsListIsReadAndItsErrorsAreOnTheLineOfTheirField() {
        PolicyReader.Result ok = parse("""
                targets:
                  web:
                    compose-project: shop
                    query: sum(rate(requests_total[1m]))
                    metrics:
                      - name: latency
                        query: histogram_quantile(0.95, sum by (le) (rate(latency_bucket[1m])))
                        out-threshold: 0.5
                        out-duration: 2m
                        in-threshold: 0.2
                        in-duration: 5m
                        step-out: 2
                """);
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.targets().get(0).metrics()).extracting(dev.scaler.decision.MetricRule::name)
                .containsExactly("query", "latency");

        PolicyReader.Result bad = parse("""
                targets:
                  web:
                    compose-project: shop
                    metrics:
                      - name: latency
                        query: lat
                        out-threshold: 0.5
                        out-duration: 2m
                        in-threshold: 0.9
                        in-duration: soon
                      - just-a-string
                      - name: cpu
                        query: [a, b]
                """);
        assertThat(bad.valid()).isFalse();
        assertThat(bad.errors()).anyMatch(e -> e.startsWith("policy.yml:10: targets.web.metrics[0].in-duration:") && e.contains("soon"))
                .anyMatch(e -> e.startsWith("policy.yml:11: targets.web.metrics[1]: must be a map"))
                .anyMatch(e -> e.startsWith("policy.yml:13: targets.web.metrics[2].query: must be a single value"))
                .noneMatch(e -> e.contains("metrics[2].query: is required"));

        PolicyReader.Result notAList = parse("""
                targets:
                  web:
                    compose-project: shop
                    metrics: latency
                """);
        assertThat(notAList.errors()).anyMatch(e -> e.startsWith("policy.yml:4: targets.web.metrics: must be a list"));
    }

    /** A {@code container} metric in a policy file: its query is over the file target's own series. */
    @Test
    void aContainerMetricIsReadWithItsQueryAndItsErrorsOnTheirLine() {
        PolicyReader.Result ok = parse("""
                targets:
                  web:
                    compose-project: shop
                    metrics:
                      - name: cpu
                        container: cpu
                        capacity-per-replica: 0.7
                """);
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.targets().get(0).metrics()).containsExactly(new dev.scaler.decision.MetricRule.Tracking("cpu",
                "sum(scaler_container_cpu_ratio{target=\"web\"})", 0.7, null));

        PolicyReader.Result bad = parse("""
                targets:
                  web:
                    compose-project: shop
                    metrics:
                      - name: cpu
                        container: disk
                        capacity-per-replica: 0.7
                """);
        assertThat(bad.errors()).anyMatch(e -> e.startsWith("policy.yml:6: targets.web.metrics[0].container:")
                && e.contains("'disk' is not a container metric (use cpu or memory)"));
    }

    @Test
    void everyErrorIsListedWithTheLineOfItsKeyAndTheValue() {
        PolicyReader.Result r = parse("""
                targets:
                  web:
                    query: up
                    compose-project: shop
                    max-replicas: many
                    scale-up-cooldwn: 30s
                    tolerance: 1.5
                  worker:
                    compose-project: shop
                    scale-down-cooldown: 30
                    min-replicas: [1, 2]
                """);
        assertThat(r.valid()).isFalse();
        assertThat(r.targets()).as("no half-valid file runs").isEmpty();
        assertThat(r.names()).containsExactly("web", "worker");
        assertThat(r.errors()).as("in file order").containsExactly(
                "policy.yml:5: targets.web.max-replicas: 'many' is not a whole number",
                "policy.yml:6: targets.web.scale-up-cooldwn: unknown field; known fields: capacity-per-replica,"
                        + " compose-files, compose-project, compose-project-dir, dry-run, fallback-after-failures,"
                        + " fallback-replicas, fleet-group, fleet-inventory, fleet-move-share-of-unreachable,"
                        + " max-replicas, metrics, min-replicas, predictive, predictive-batch, predictive-history,"
                        + " predictive-horizon, predictive-margin, predictive-max-error, predictive-min-history,"
                        + " predictive-refresh, predictive-step, predictive-tolerance, predictive-trend-window,"
                        + " query, retry-initial, retry-max, scale-down-cooldown,"
                        + " scale-down-max-percent, scale-down-max-replicas, scale-down-stabilization,"
                        + " scale-up-cooldown, scale-up-max-percent, scale-up-max-replicas, scale-up-stabilization,"
                        + " service, swarm-service, tolerance",
                "policy.yml:8: targets.worker.query: is required (PromQL returning the load as one series)",
                "policy.yml:10: targets.worker.scale-down-cooldown: '30' is not a duration (use 250ms, 15s, 5m, 1h,"
                        + " 1d or ISO-8601 like PT15S)",
                "policy.yml:11: targets.worker.min-replicas: must be a single value, got a list");
    }

    @Test
    void rangeProblemsFoundByThePolicyAreOnTheirKeysLine() {
        PolicyReader.Result r = parse("""
                targets:
                  web:
                    query: up
                    compose-project: shop
                    min-replicas: 5
                    max-replicas: 3
                    tolerance: 1.5
                """);
        assertThat(r.errors()).containsExactly(
                "policy.yml:6: targets.web.max-replicas (3) must be >= min-replicas (5)");
    }

    @Test
    void theApplicationYmlShapeIsAcceptedAndItsOtherKeysIgnored() {
        PolicyReader.Result r = parse("""
                micronaut:
                  server:
                    port: 8080
                scaler:
                  poll-interval: 15s
                  targets:
                    web:
                      query: up
                      compose-project: shop
                      max-replicas: x
                """);
        assertThat(r.errors()).containsExactly("policy.yml:10: scaler.targets.web.max-replicas: 'x' is not a whole number");
    }

    @Test
    void shapesAndYamlErrorsNameTheLine() {
        assertThat(parse("targets:\n  web:\n    query: [\n").errors()).singleElement().asString()
                .startsWith("policy.yml:4: not valid YAML:");
        assertThat(parse("").errors()).containsExactly(
                "policy.yml: empty; expected targets: NAME: {query: ..., compose-project: ...}");
        assertThat(parse("- web\n").errors()).containsExactly("policy.yml:1: the file must be a map with the key targets");
        assertThat(parse("""
                poll-interval: 5s
                targets:
                  web: 3
                  "bad name":
                    query: up
                    compose-project: shop
                  web:
                    query: up
                """).errors()).containsExactly(
                "policy.yml:1: poll-interval: unknown top-level key; expected targets (or the application.yml shape"
                        + " scaler: targets:)",
                "policy.yml:3: targets.web: must be a map of target keys (query, compose-project, max-replicas, ...)",
                "policy.yml:4: targets.bad name: 'bad name' is not a valid target name (letters, digits, '_', '.', '-',"
                        + " starting with a letter or digit); it is never renamed",
                "policy.yml:4: targets.bad name.service: must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$, got 'bad name'",
                "policy.yml:7: targets.web: defined twice");
        assertThat(parse("targets:\n").errors()).isEmpty();
    }

    @Test
    void aMissingFileIsOneErrorNamingIt() {
        PolicyReader.Result r = PolicyReader.read(Path.of("no/such/policy.yml"), INVENTORY);
        assertThat(r.errors()).containsExactly("no/such/policy.yml: does not exist");
        assertThat(r.targets()).isEqualTo(List.of());
    }
}
