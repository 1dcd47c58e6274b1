package dev.scaler;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.exceptions.ConfigurationException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the environment variables of the Python scaler this project replaces working
 * (PROMETHEUS_URL, SERVICE_NAME, COMPOSE_PROJECT_NAME, MIN_REPLICAS, MAX_REPLICAS, CHECK_INTERVAL,
 * SCALE_UP_COOLDOWN, SCALE_DOWN_COOLDOWN), by translating them into {@code scaler.*} keys. They rank
 * just below the ordinary environment, so an explicit {@code SCALER_*} variable wins.
 */
@ContextConfigurer
public final class LegacyEnvironment implements ApplicationContextConfigurer {

    static final String NAME = "legacy-environment";

    @Override
    public void configure(ApplicationContextBuilder builder) {
        Map<String, Object> properties = translate(System.getenv());
        if (!properties.isEmpty()) {
            builder.propertySources(PropertySource.of(NAME, properties, EnvironmentPropertySource.POSITION - 1));
        }
    }

    /** The {@code scaler.*} properties the legacy variables in {@code env} stand for. */
    public static Map<String, Object> translate(Map<String, String> env) {
        Map<String, Object> p = new LinkedHashMap<>();
        put(p, "scaler.prometheus.url", env.get("PROMETHEUS_URL"));
        String interval = env.get("CHECK_INTERVAL");
        if (present(interval)) {
            p.put("scaler.poll-interval", seconds("CHECK_INTERVAL", interval));
        }
        String service = env.get("SERVICE_NAME");
        if (!present(service)) {
            return p;
        }
        String t = "scaler.targets." + service.trim() + ".";
        p.put(t + "service", service.trim());
        put(p, t + "compose-project", env.get("COMPOSE_PROJECT_NAME"));
        put(p, t + "compose-project-dir", env.get("COMPOSE_PROJECT_DIR"));
        String composeFile = env.get("COMPOSE_FILE");
        if (present(composeFile)) {
            // Compose's own variable: a list of files joined by the path separator.
            p.put(t + "compose-files", Arrays.asList(composeFile.split(env.getOrDefault("COMPOSE_PATH_SEPARATOR", ":"))));
        }
        if (present(env.get("MIN_REPLICAS"))) {
            p.put(t + "min-replicas", whole("MIN_REPLICAS", env.get("MIN_REPLICAS")));
        }
        if (present(env.get("MAX_REPLICAS"))) {
            p.put(t + "max-replicas", whole("MAX_REPLICAS", env.get("MAX_REPLICAS")));
        }
        if (present(env.get("SCALE_UP_COOLDOWN"))) {
            p.put(t + "scale-up-cooldown", seconds("SCALE_UP_COOLDOWN", env.get("SCALE_UP_COOLDOWN")));
        }
        if (present(env.get("SCALE_DOWN_COOLDOWN"))) {
            p.put(t + "scale-down-cooldown", seconds("SCALE_DOWN_COOLDOWN", env.get("SCALE_DOWN_COOLDOWN")));
        }
        put(p, t + "query", env.getOrDefault("METRIC_QUERY",
                "sum(rate(haproxy_backend_http_requests_total{proxy=\"" + service.trim() + "\"}[1m]))"));
        if (present(env.get("CAPACITY_PER_REPLICA"))) {
            p.put(t + "capacity-per-replica", env.get("CAPACITY_PER_REPLICA").trim());
        }
        return p;
    }

    private static void put(Map<String, Object> p, String key, String value) {
        if (present(value)) {
            p.put(key, value.trim());
        }
    }

    private static boolean present(String v) {
        return v != null && !v.isBlank();
    }

    private static int whole(String variable, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(variable + ": '" + value + "' is not a whole number");
        }
    }

    /** The seed took plain seconds; Micronaut durations need a unit. */
    private static String seconds(String variable, String value) {
        String v = value.trim();
        if (!v.matches("\\d+")) {
            throw new ConfigurationException(variable + ": '" + value + "' is not a whole number of seconds");
        }
        return v + "s";
    }

}
