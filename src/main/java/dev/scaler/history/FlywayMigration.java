package dev.scaler.history;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Flyway's migration of one data source, loaded only by {@link IsolatedFlyway}'s class loader (never by the
 * application's, so nothing but JDK types crosses between them): settings by Flyway's property names, plus
 * {@link #CLEAN_SCHEMA}; returns what was done, in words.
 */
public final class FlywayMigration implements BiFunction<DataSource, Map<String, String>, String> {

    /** "true": Flyway cleans the schema before it migrates (micronaut-flyway's clean-schema). */
    static final String CLEAN_SCHEMA = "scaler.clean-schema";

    @Override
    public String apply(DataSource dataSource, Map<String, String> settings) {
        Map<String, String> flywaySettings = new HashMap<>(settings);
        boolean clean = Boolean.parseBoolean(flywaySettings.remove(CLEAN_SCHEMA));
        Flyway flyway = Flyway.configure(FlywayMigration.class.getClassLoader())
                .cleanDisabled(!clean)
                .dataSource(dataSource)
                .configuration(flywaySettings) // flyway.url, when set, replaces the data source
                .load();
        if (clean) {
            flyway.clean();
        }
        MigrateResult result = flyway.migrate();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        return (clean ? "schema cleaned, " : "") + result.migrationsExecuted + " migration(s) applied, schema at version "
                + version;
    }
}
