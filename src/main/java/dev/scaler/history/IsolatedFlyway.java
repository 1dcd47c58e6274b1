package dev.scaler.history;

import com.fasterxml.jackson.databind.type.TypeFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.security.ProtectionDomain;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Runs Flyway in a class loader of its own, which nothing references once the schema is migrated (issue 11).
 * A new history's first start loads about 380 of Flyway's classes, 3 MB of class metadata that a JVM keeps
 * for as long as their loader lives; loaded by the application's class loader they stayed for the service's
 * life, used once. Loaded here they are unloaded by the next full collection, which {@link #migrate} asks for.
 * Flyway's classes ({@code org.flywaydb.*}) and {@link FlywayMigration} are defined here from the application's
 * own class path; every other class (the JDK, JDBC drivers, SLF4J, Jackson) is the application's.
 */
final class IsolatedFlyway {

    private static final Logger LOG = LoggerFactory.getLogger(IsolatedFlyway.class);

    private static final String MIGRATION = "dev.scaler.history.FlywayMigration";

    /** Up to 6 more collections, 0.1 to 3.2 s apart: 6.3 s in all, far longer than one compilation takes. */
    private static final int RETRIES = 6;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

    /**
     * The domain of every class defined here, without a class loader: a thread started while Flyway runs (the
     * pool adding a connection, H2's writer) keeps the domains of the code that started it, and a domain that
     * named the loader would keep the loader.
     */
    private static final ProtectionDomain DOMAIN =
            new ProtectionDomain(IsolatedFlyway.class.getProtectionDomain().getCodeSource(), null);

    /**
     * What a migration did.
     *
     * @param summary what Flyway did, in words
     * @param loader  the loader Flyway ran in, cleared once it is collected
     */
    record Outcome(String summary, Reference<ClassLoader> loader) {
    }

    private IsolatedFlyway() {
    }

    /**
     * Migrates {@code dataSource} as {@code settings} say.
     *
     * @param unload a full collection afterwards, so that Flyway's classes go at once (the service; a test
     *               context, which runs for seconds, need not pay for one)
     * @throws HistoryMigrationException what Flyway threw, with its message
     */
    static Outcome migrate(DataSource dataSource, FlywaySettings settings, boolean unload) {
        Outcome outcome = null;
        try {
            outcome = run(dataSource, settings);
            return outcome;
        } finally {
            // Jackson's shared type cache keeps each class Flyway's configuration models resolved through it
            TypeFactory.defaultInstance().clearCache();
            if (unload) {
                // only a full collection unloads classes; in this frame nothing references the loader any more
                System.gc();
                if (outcome != null && outcome.loader().get() != null) {
                    collectLater(outcome.loader());
                }
            }
        }
    }

    /**
     * Something held the loader at the moment of the first collection; on a busy CI machine that collection once
     * unloaded nothing. The likeliest holder is the JIT: HotSpot holds the class of a method it is compiling until
     * the compilation ends. A few more collections, on a thread of their own so that the loop need not wait.
     */
    private static void collectLater(Reference<ClassLoader> loader) {
        Thread collector = new Thread(() -> {
            long started = System.nanoTime();
            int collections = collectUntilCleared(loader, System::gc, RETRIES, RETRY_PAUSE);
            long ms = (System.nanoTime() - started) / 1_000_000;
            if (loader.get() == null) {
                LOG.debug("Flyway's class loader collected after {} more full collection(s) in {} ms", collections, ms);
            } else {
                LOG.info("Flyway's class loader still reachable after {} more full collection(s) in {} ms: its "
                        + "classes stay until a later full collection", collections, ms);
            }
        }, "flyway-unload");
        collector.setDaemon(true);
        collector.start();
    }

    /**
     * Runs {@code collect} until {@code ref} is cleared, at most {@code attempts} times, pausing {@code pause}
     * before the first and twice as long before each next one.
     *
     * @return how many times {@code collect} ran
     */
    static int collectUntilCleared(Reference<?> ref, Runnable collect, int attempts, Duration pause) {
        int collections = 0;
        long pauseMs = pause.toMillis();
        while (ref.get() != null && collections < attempts) {
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            collect.run();
            collections++;
            pauseMs *= 2;
        }
        return collections;
    }

    @SuppressWarnings("unchecked") // FlywayMigration's type, which this class may not name
    private static Outcome run(DataSource dataSource, FlywaySettings settings) {
        Loader loader = new Loader(IsolatedFlyway.class.getClassLoader());
        BiFunction<DataSource, Map<String, String>, String> migration;
        try {
            migration = (BiFunction<DataSource, Map<String, String>, String>)
                    Class.forName(MIGRATION, true, loader).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Flyway cannot be loaded from the class path: " + e, e);
        }
        Map<String, String> flyway = new HashMap<>(settings.flyway());
        // a constant, which javac copies here: naming it does not load FlywayMigration into this class's loader
        flyway.put(FlywayMigration.CLEAN_SCHEMA, Boolean.toString(settings.cleanSchema()));
        try {
            return new Outcome(migration.apply(dataSource, flyway), new WeakReference<>(loader));
        } catch (RuntimeException e) {
            throw new HistoryMigrationException(settings.dataSource(), e);
        }
    }

    /** Defines Flyway's classes itself, from its parent's class path; asks its parent for everything else. */
    private static final class Loader extends ClassLoader {

        static {
            registerAsParallelCapable();
        }

        Loader(ClassLoader parent) {
            super("flyway", parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.flywaydb.") && !name.equals(MIGRATION)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = define(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        private Class<?> define(String name) throws ClassNotFoundException {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length, DOMAIN);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
