package dev.scaler.history;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The settings under flyway.datasources.NAME, read as Flyway's own properties without loading Flyway. */
class FlywaySettingsTest {

    @Test
    void settingsBecomeFlywaysPropertiesAndListsItsCommaSeparatedValues() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("flyway.datasources.default.baseline-on-migrate", true);
        p.put("flyway.datasources.default.schemas", List.of("scaler", "audit"));
        p.put("flyway.datasources.default.table", "schema_history");
        p.put("flyway.datasources.default.password", "s3cret");
        FlywaySettings settings = read(p, "default").orElseThrow();
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.cleanSchema()).isFalse();
        assertThat(settings.flyway()).containsExactly(
                Map.entry("flyway.schemas", "scaler,audit"),
                Map.entry("flyway.table", "schema_history"),
                Map.entry("flyway.baselineOnMigrate", "true"),
                Map.entry("flyway.password", "s3cret"));
        assertThat(settings.schema()).hasValue("scaler");
        assertThat(settings.toString()).contains("flyway.password=***").doesNotContain("s3cret");
    }

    @Test
    void aDataSourceWithoutSettingsIsNotMigrated() {
        assertThat(read(Map.of("flyway.datasources.default.enabled", true), "other")).isEmpty();
        assertThat(read(Map.of("flyway.datasources.default.enabled", false), "default").orElseThrow().enabled())
                .isFalse();
    }

    @Test
    void onlyTheSchemaSettingsLeaveTheSchemaCheckToScaler() {
        assertThat(read(Map.of("flyway.datasources.default.enabled", true), "default").orElseThrow()
                .schemaCheckApplies()).isTrue();
        assertThat(read(Map.of("flyway.datasources.default.default-schema", "scaler"), "default").orElseThrow()
                .schemaCheckApplies()).isTrue();
        assertThat(read(Map.of("flyway.datasources.default.target", "2"), "default").orElseThrow()
                .schemaCheckApplies()).isFalse();
        assertThat(read(Map.of("flyway.datasources.default.clean-schema", true), "default").orElseThrow()
                .schemaCheckApplies()).isFalse();
    }

    /** An environment variable reads as every split of its words: each split of a known setting is accepted. */
    @Test
    void environmentVariablesAreRead() {
        try (ApplicationContext context = ApplicationContext.builder()
                .propertySources(PropertySource.of("env", Map.of(
                        "FLYWAY_DATASOURCES_DEFAULT_BASELINE_ON_MIGRATE", "true",
                        "FLYWAY_DATASOURCES_DEFAULT_DEFAULT_SCHEMA", "scaler"),
                        PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .build()) {
            FlywaySettings settings = FlywaySettings.of(context.getEnvironment().start(), "default").orElseThrow();
            assertThat(settings.flyway()).containsOnly(Map.entry("flyway.defaultSchema", "scaler"),
                    Map.entry("flyway.baselineOnMigrate", "true"));
        }
    }

    @Test
    void anUnknownSettingIsRefusedByName() {
        assertThatThrownBy(() -> read(Map.of("flyway.datasources.default.tabel", "x"), "default"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("flyway.datasources.default.tabel: not a setting Scaler passes to Flyway")
                .hasMessageContaining("table");
    }

    @Test
    void anUnknownSettingStopsTheStart() {
        Map<String, Object> p = H2HistoryStoreTest.h2("jdbc:h2:mem:flyway-settings-" + System.nanoTime());
        p.put("flyway.datasources.default.enabled", true);
        p.put("flyway.datasources.default.async", true);
        assertThatThrownBy(() -> ApplicationContext.run(p).close())
                .hasStackTraceContaining("flyway.datasources.default.async: not a setting Scaler passes to Flyway");
    }

    private static Optional<FlywaySettings> read(Map<String, Object> properties, String name) {
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).build()) {
            return FlywaySettings.of(context.getEnvironment().start(), name);
        }
    }
}
