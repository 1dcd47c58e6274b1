package dev.scaler.history;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.value.PropertyResolver;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * How Flyway migrates one data source: the settings under {@code flyway.datasources.NAME}, as micronaut-flyway
 * named them, read without loading Flyway (issue 11: {@link IsolatedFlyway}).
 *
 * @param dataSource  the data source's name
 * @param enabled     {@code enabled}, true unless set otherwise
 * @param cleanSchema {@code clean-schema}: Flyway drops everything in the schema before it migrates
 * @param flyway      the other settings by Flyway's own property name ({@code baseline-on-migrate} is
 *                    {@code flyway.baselineOnMigrate}), in {@link #KEYS} order
 */
public record FlywaySettings(String dataSource, boolean enabled, boolean cleanSchema, Map<String, String> flyway) {

    static final String PREFIX = "flyway.datasources";

    /** The settings passed to Flyway, by the name they have under {@code flyway.datasources.NAME}. */
    static final List<String> KEYS = List.of(
            "default-schema", "schemas", "table", "locations", "target", "baseline-version", "baseline-on-migrate",
            "ignore-migration-patterns", "validate-on-migrate", "out-of-order", "connect-retries", "url", "user",
            "password");

    /** Settings the schema check of {@link SchemaMigrationRunner} models: with any other, Flyway always decides. */
    private static final Set<String> MODELLED = Set.of("flyway.defaultSchema", "flyway.schemas");

    public FlywaySettings {
        flyway = Collections.unmodifiableMap(new LinkedHashMap<>(flyway));
    }

    /** The data sources with settings under {@code flyway.datasources}. */
    static Collection<String> configured(PropertyResolver properties) {
        return properties.getPropertyEntries(PREFIX);
    }

    /**
     * The settings of data source {@code name}; empty when it has none (Flyway does not migrate it).
     *
     * @throws ConfigurationException naming a setting this list does not have
     */
    static Optional<FlywaySettings> of(PropertyResolver properties, String name) {
        String prefix = PREFIX + "." + name;
        if (!properties.containsProperties(prefix)) {
            return Optional.empty();
        }
        for (String entry : properties.getPropertyEntries(prefix)) {
            if (!known(entry)) {
                throw new ConfigurationException(prefix + "." + entry + ": not a setting Scaler passes to Flyway;"
                        + " the settings are enabled, clean-schema and " + String.join(", ", KEYS));
            }
        }
        Map<String, String> flyway = new LinkedHashMap<>();
        for (String key : KEYS) {
            properties.getProperty(prefix + "." + key, Object.class)
                    .map(FlywaySettings::text)
                    .ifPresent(value -> flyway.put("flyway." + camelCase(key), value));
        }
        return Optional.of(new FlywaySettings(name,
                properties.getProperty(prefix + ".enabled", Boolean.class).orElse(true),
                properties.getProperty(prefix + ".clean-schema", Boolean.class).orElse(false),
                flyway));
    }

    /** Whether Flyway's history table alone tells that the schema is current (only settings the check models). */
    boolean schemaCheckApplies() {
        return !cleanSchema && MODELLED.containsAll(flyway.keySet());
    }

    /** The schema Flyway's history table is in, if one is set. */
    Optional<String> schema() {
        return Optional.ofNullable(flyway.get("flyway.defaultSchema"))
                .or(() -> Optional.ofNullable(flyway.get("flyway.schemas")).map(s -> s.split(",")[0].trim()))
                .filter(s -> !s.isEmpty());
    }

    /**
     * An entry under the prefix is a setting, or a part of one: an environment variable such as
     * FLYWAY_DATASOURCES_DEFAULT_BASELINE_ON_MIGRATE also reads as {@code baseline.on-migrate}.
     */
    private static boolean known(String entry) {
        return entry.equals("enabled") || entry.equals("clean-schema") || entry.equals("clean")
                || KEYS.stream().anyMatch(key -> key.equals(entry) || key.startsWith(entry + "-"));
    }

    private static String camelCase(String key) {
        String[] words = key.split("-");
        return words[0] + Arrays.stream(words, 1, words.length)
                .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
                .collect(Collectors.joining());
    }

    /** A list (YAML's schemas: [a, b]) as Flyway's comma-separated value. */
    private static String text(Object value) {
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (value.getClass().isArray()) {
            return IntStream.range(0, Array.getLength(value)).mapToObj(i -> String.valueOf(Array.get(value, i)))
                    .collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        // the password is a setting like the others; it is never printed
        Map<String, String> shown = new LinkedHashMap<>(flyway);
        shown.computeIfPresent("flyway.password", (k, v) -> "***");
        return "FlywaySettings[dataSource=" + dataSource + ", enabled=" + enabled + ", cleanSchema=" + cleanSchema
                + ", flyway=" + shown + "]";
    }
}
