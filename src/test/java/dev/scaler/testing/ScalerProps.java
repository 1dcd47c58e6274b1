package dev.scaler.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The properties of a Scaler wired to a test's Prometheus and its compose target, for {@link ScalerApp#start} and
 * {@link ScalerProcess#start} (which add {@link ScalerApp#defaults}). Each test still spells out what makes it
 * differ (query, bounds, cooldowns, playbook...), so the builder only names the keys:
 *
 * <pre>{@code
 * ScalerProps.on(prometheus).compose("webapp", compose).query("webapp_load").replicas(1, 4).capacity(10)
 *         .cooldowns("0s", "0s", "0s").set("scaler.dry-run", true).build();
 * }</pre>
 *
 * A key with a dot is a whole property name ({@code scaler.api.token}, {@code micronaut.server.port}); a key without
 * one is a key of the target named last ({@code min-replicas}), as target keys have no dots.
 */
public final class ScalerProps {

    private final Map<String, Object> properties = new HashMap<>();
    private String target;

    private ScalerProps() {
    }

    /** A Scaler reading its metrics from {@code prometheus}. */
    public static ScalerProps on(PrometheusProcess prometheus) {
        return on(prometheus.url());
    }

    public static ScalerProps on(URI prometheus) {
        ScalerProps props = new ScalerProps();
        props.properties.put("scaler.prometheus.url", prometheus.toString());
        return props;
    }

    /** Target {@code name} scaling {@code project}'s service; target keys set after this go to it. */
    public ScalerProps compose(String name, ComposeProject project) {
        return target(name).set("compose-project", project.name()).set("compose-project-dir", project.dir().toString());
    }

    /** Target {@code name}, whatever it scales; target keys set after this go to it. */
    public ScalerProps target(String name) {
        this.target = name;
        return this;
    }

    public ScalerProps query(String promql) {
        return set("query", promql);
    }

    public ScalerProps replicas(int min, int max) {
        return set("min-replicas", min).set("max-replicas", max);
    }

    public ScalerProps capacity(Number perReplica) {
        return set("capacity-per-replica", perReplica);
    }

    public ScalerProps cooldowns(String up, String down, String downStabilization) {
        return set("scale-up-cooldown", up).set("scale-down-cooldown", down)
                .set("scale-down-stabilization", downStabilization);
    }

    public ScalerProps retry(String initial, String max) {
        return set("retry-initial", initial).set("retry-max", max);
    }

    /** The API guarded by the test token {@link Api#TOKEN}. */
    public ScalerProps apiToken() {
        return set("scaler.api.token", Api.TOKEN);
    }

    /** No tick for an hour: only what the test sends (an alert, an API call) evaluates. */
    public ScalerProps noTicks() {
        return set("scaler.poll-interval", "1h").set("scaler.initial-delay", "1h");
    }

    public ScalerProps playbook(Path playbook) {
        return set("scaler.execution.playbook", playbook.toString());
    }

    /** A whole property name (with a dot) or a key of the target named last (without one). */
    public ScalerProps set(String key, Object value) {
        if (key.contains(".")) {
            properties.put(key, value);
        } else if (target == null) {
            throw new IllegalStateException("target key '" + key + "' set before a target was named");
        } else {
            properties.put("scaler.targets." + target + "." + key, value);
        }
        return this;
    }

    /** {@link #set} for each entry. */
    public ScalerProps setAll(Map<String, Object> overrides) {
        overrides.forEach(this::set);
        return this;
    }

    /** A mutable copy. */
    public Map<String, Object> build() {
        return new HashMap<>(properties);
    }
}
