package dev.scaler.history;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.naming.NameResolver;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Migrates each data source with settings under {@code flyway.datasources.NAME} as it is made (micronaut-flyway's
 * runner did this before; issue 11), in two ways that spare the service Flyway's memory:
 * <ul>
 * <li>Flyway starts only when the schema is not already at the jar's migrations. Flyway's configuration,
 * plugin register and the Jackson models it reads its settings with are about 1,000 classes and a second of
 * start-up; on a restart over a migrated database they would do nothing. One query of Flyway's own history
 * table decides: when it holds every migration of {@link #MIGRATIONS} with its checksum, successful, and
 * nothing else, the schema is current and Flyway is not started. Anything else (no table, a migration missing,
 * failed, newer or edited, or a Flyway setting this check does not model) is Flyway's to migrate or refuse.</li>
 * <li>When Flyway does start, it runs in a class loader that is dropped afterwards ({@link IsolatedFlyway}).</li>
 * </ul>
 */
@Singleton
public class SchemaMigrationRunner implements BeanCreatedEventListener<DataSource> {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrationRunner.class);

    /** The migrations in src/main/resources/db/migration, by version (SchemaMigrationRunnerTest keeps the two in step). */
    static final Map<String, String> MIGRATIONS = Map.of(
            "1", "V1__history.sql",
            "2", "V2__target_control.sql",
            "3", "V3__leader_lease.sql",
            "4", "V4__history_order_indexes.sql");

    private final ApplicationContext context;
    private final DataSourceResolver dataSourceResolver;
    private final boolean deferred;
    /** Data sources made before {@link #migrateDeferred}, whose migration waits for it (in order of creation). */
    private final List<BeanCreatedEvent<DataSource>> waiting = new ArrayList<>();
    private volatile boolean flywayStarted;
    private volatile Reference<ClassLoader> lastFlywayLoader;

    /**
     * Reads every data source's Flyway settings, so that a wrong one stops the start here.
     *
     * @param openAfterStart present in the service: migrations wait for {@link #migrateDeferred}
     */
    public SchemaMigrationRunner(ApplicationContext context, DataSourceResolver dataSourceResolver,
                                 Optional<OpenAfterStart> openAfterStart) {
        this.context = context;
        this.dataSourceResolver = dataSourceResolver;
        this.deferred = openAfterStart.isPresent();
        FlywaySettings.configured(context).forEach(name -> FlywaySettings.of(context, name));
    }

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        if (deferred) {
            // the pool opens nothing yet (initialization-fail-timeout -1, Application): nothing reads the
            // history before the loop's start runs migrateDeferred, after the HTTP server answers
            synchronized (waiting) {
                waiting.add(event);
            }
            return event.getBean();
        }
        return migrate(event);
    }

    /**
     * Runs the migrations that waited for the service's start (none in a context that did not defer them); idempotent.
     * Throws what Flyway or the first connection throws, so the service stops as it would have at start-up.
     */
    public void migrateDeferred() {
        synchronized (waiting) {
            while (!waiting.isEmpty()) {
                migrate(waiting.get(0));
                waiting.remove(0);
            }
        }
    }

    private DataSource migrate(BeanCreatedEvent<DataSource> event) {
        // the pool itself: the bean may be a proxy whose connections need beans not made yet
        DataSource pool = dataSourceResolver.resolve(event.getBean());
        String name = event.getBeanDefinition() instanceof NameResolver resolver
                ? resolver.resolveName().orElse(null) : null;
        boolean h2 = "H2".equals(requireOpen(name, pool));
        if (h2) {
            DurableCommits.apply(pool); // before any write
        }
        Optional<FlywaySettings> settings = Optional.ofNullable(name).flatMap(n -> FlywaySettings.of(context, n))
                .filter(FlywaySettings::enabled);
        if (settings.isPresent() && !(settings.get().schemaCheckApplies() && schemaCurrent(settings.get(), pool))) {
            flywayStarted = true;
            long started = System.nanoTime();
            IsolatedFlyway.Outcome outcome = IsolatedFlyway.migrate(pool, settings.get(), deferred);
            lastFlywayLoader = outcome.loader();
            LOG.info("schema of data source {} migrated by Flyway in {} ms: {}", name,
                    (System.nanoTime() - started) / 1_000_000, outcome.summary());
        }
        if (h2) {
            H2IdentityCache.apply(pool); // the tables exist now
        }
        return event.getBean();
    }

    /**
     * The history's first connection (deferred with it in the service): when it fails, the start stops here with
     * the driver's reason. Otherwise each step below would wait out the pool's connection timeout again and
     * report only that, or take the failure for a new database. PostgreSQL needs none of the settings H2 gets.
     *
     * @return the database's product name ("H2", "PostgreSQL", ...)
     */
    private String requireOpen(String name, DataSource pool) {
        try (Connection c = pool.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName();
            LOG.debug("history data source {} opened: {}", name, product);
            return product;
        } catch (SQLException e) {
            String dataSource = name == null ? "default" : name;
            throw new HistoryUnavailableException(dataSource,
                    context.getProperty("datasources." + dataSource + ".url", String.class).orElse(null), e);
        }
    }

    /** Whether this runner handed a data source to Flyway (tests: a restart over a current schema does not). */
    public boolean flywayStarted() {
        return flywayStarted;
    }

    /** The class loader Flyway last ran in, cleared once it is collected (tests). */
    Optional<Reference<ClassLoader>> lastFlywayLoader() {
        return Optional.ofNullable(lastFlywayLoader);
    }

    private boolean schemaCurrent(FlywaySettings settings, DataSource dataSource) {
        String name = settings.dataSource();
        String table = settings.schema().map(s -> quote(s) + ".").orElse("") + quote("flyway_schema_history");
        Map<String, Integer> applied = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select \"version\", \"checksum\", \"success\" from " + table)) {
            while (rs.next()) {
                String version = rs.getString(1);
                if (version == null) {
                    continue; // Flyway's own marker rows (schema creation), not migrations
                }
                Integer checksum = rs.getObject(2) == null ? null : rs.getInt(2);
                if (!rs.getBoolean(3) || applied.put(version, checksum) != null) {
                    return false;
                }
            }
        } catch (SQLException e) {
            // most often: no history table yet (a new database); Flyway creates it
            LOG.debug("schema check of data source {}: {}", name, e.toString());
            return false;
        }
        if (!applied.keySet().equals(MIGRATIONS.keySet())) {
            return false;
        }
        for (Map.Entry<String, String> m : MIGRATIONS.entrySet()) {
            if (!Integer.valueOf(checksum(m.getValue())).equals(applied.get(m.getKey()))) {
                return false;
            }
        }
        LOG.info("schema of data source {} is current (migrations {}): Flyway not started",
                name, applied.keySet().stream().sorted().toList());
        return true;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * Flyway's checksum of a migration: CRC-32 of each line's UTF-8 bytes, line ends left out and a byte
     * order mark removed (Flyway 10's ChecksumCalculator), so an edited migration is not taken as applied.
     */
    static int checksum(String migration) {
        String resource = "db/migration/" + migration;
        InputStream in = SchemaMigrationRunner.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("migration " + resource + " is not in the jar");
        }
        CRC32 crc = new CRC32();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                crc.update((line.startsWith("\uFEFF") ? line.substring(1) : line).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return (int) crc.getValue();
    }
}
