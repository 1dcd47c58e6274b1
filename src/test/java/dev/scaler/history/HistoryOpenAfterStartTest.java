package dev.scaler.history;

import dev.scaler.testing.Api;
import dev.scaler.testing.Await;
import dev.scaler.testing.PostgresSchema;
import dev.scaler.testing.ScalerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service started by its main (a JVM of its own, as operators run it) answers HTTP before its history is open
 * (issue 11): the schema migration and the recovery of interrupted runs come after the server's start, the API
 * waits for them, and a history that cannot be opened still stops the process, with the reason.
 */
class HistoryOpenAfterStartTest {

    @TempDir
    Path data;

    private Map<String, Object> props() {
        Map<String, Object> p = new HashMap<>();
        p.put("scaler.api.token", Api.TOKEN);
        p.put("scaler.dry-run", "true");
        p.put("scaler.prometheus.url", "http://127.0.0.1:1");
        p.put("scaler.execution.lock-dir", data.resolve("locks").toString());
        p.put("scaler.targets.webapp.query", "up");
        p.put("scaler.targets.webapp.compose-project", "history-open-test");
        p.put("scaler.targets.webapp.compose-project-dir", data.toString());
        return p;
    }

    @Test
    void theServerAnswersFirstThenTheHistoryOpensAndTheApiWaitsForIt() throws Exception {
        try (ScalerProcess scaler = ScalerProcess.start(data, props(), data.resolve("scaler.log"))) {
            // a read right after the first answer waits for the history instead of failing or showing it unopened
            HttpResponse<String> targets = scaler.get("/api/targets");
            assertThat(targets.statusCode()).as(targets.body()).isEqualTo(200);
            assertThat(targets.body()).contains("webapp");
            // the log reaches the test through the process's output, possibly after the answer did
            Await.until("the loop's start in the log", Duration.ofSeconds(10),
                    () -> scaler.logText().contains("loop started: "));
            String log = scaler.logText();
            int started = log.indexOf("Scaler started: ");
            int loop = log.indexOf("loop started: ");
            assertThat(started).as(log).isNotNegative();
            assertThat(loop).as("the loop (migration, recovery, ticks) starts after the server answers:\n" + log)
                    .isGreaterThan(started);
            String loopLine = log.lines().filter(l -> l.contains("loop started: ")).findFirst().orElseThrow();
            assertThat(loopLine).contains("history_ready_ms=").contains("[scaler-ticker]");
            HttpResponse<String> health = scaler.getAuthorized("/health");
            assertThat(health.body()).contains("\"jdbc\"").doesNotContain("starting: migrating");
        }
    }

    /**
     * A new history's migration runs Flyway in a class loader of its own, and the service unloads Flyway's classes
     * right after it (issue 11); a restart over the migrated history does not start Flyway at all.
     */
    @Test
    void flywaysClassesAreUnloadedAfterTheMigrationAndARestartDoesNotLoadThem() throws Exception {
        try (ScalerProcess scaler = ScalerProcess.start(data, props(), data.resolve("scaler.log"))) {
            Await.until("the loop's start in the log", Duration.ofSeconds(30),
                    () -> scaler.logText().contains("loop started: "));
            assertThat(scaler.logText()).contains("schema of data source default migrated by Flyway in ")
                    .contains("4 migration(s) applied, schema at version 4");
            // at once, or after a few more collections when a compilation held a class of Flyway's (IsolatedFlyway)
            Await.until("Flyway's classes, unloaded (more than 300)", Duration.ofSeconds(15),
                    () -> unloadedClasses(scaler) > 300);
        }
        try (ScalerProcess scaler = ScalerProcess.start(data, props(), data.resolve("restart.log"))) {
            Await.until("the loop's start in the log", Duration.ofSeconds(30),
                    () -> scaler.logText().contains("loop started: "));
            assertThat(scaler.logText()).contains("schema of data source default is current")
                    .doesNotContain("migrated by Flyway");
            // none of Flyway's (a collection may unload a few of the JDK's own generated classes)
            assertThat(unloadedClasses(scaler)).isLessThan(100);
        }
    }

    /** The service's own count of unloaded classes, from its /prometheus endpoint (Micrometer's class binder). */
    private static double unloadedClasses(ScalerProcess scaler) {
        HttpResponse<String> metrics;
        try {
            metrics = scaler.get("/prometheus");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        return metrics.body().lines().filter(l -> l.startsWith("jvm_classes_unloaded_classes_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no jvm_classes_unloaded_classes_total in\n"
                        + metrics.body()));
    }

    @Test
    void aHistoryThatCannotBeOpenedStopsTheProcessAfterTheFirstAnswerWithTheReason() throws Exception {
        Map<String, Object> p = props();
        // nothing listens on port 1: the pool waits its connection timeout, then the migration fails
        p.put("datasources.default.url", "jdbc:postgresql://127.0.0.1:1/scaler?password=hunter2-in-the-url");
        p.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        p.put("datasources.default.dialect", "POSTGRES");
        p.put("datasources.default.connection-timeout", "6000");
        try (ScalerProcess scaler = ScalerProcess.start(data, p, data.resolve("scaler.log"))) {
            HttpResponse<String> health = scaler.getAuthorized("/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
            assertThat(health.body()).contains("\"jdbc\"").contains("starting: migrating the schema");
            scaler.awaitExit(Duration.ofSeconds(60));
            assertThat(scaler.logText()).contains("history could not be opened, stopping:")
                    .contains("127.0.0.1:1")
                    // the driver's reason, not only the pool's timeout
                    .contains("Connection refused")
                    .contains("password=***").doesNotContain("hunter2");
            assertThat(health.body()).doesNotContain("hunter2");
        }
    }

    /**
     * Micronaut's JDBC check names the history by its JDBC URL in {@code /health}'s details; a password in that URL
     * is hidden even from a caller with the API's credentials, who sees the details.
     */
    @Test
    void theHealthDetailsNameTheHistoryByItsUrlWithoutThePassword() throws Exception {
        Map<String, Object> p = props();
        p.putAll(PostgresSchema.fresh("health_redaction"));
        // the password only in the URL, as some deployments give it
        String url = p.get("datasources.default.url") + "&user=scaler";
        p.put("datasources.default.url", url + "&password=scaler");
        p.put("datasources.default.password", "");
        try (ScalerProcess scaler = ScalerProcess.start(data, p, data.resolve("scaler.log"))) {
            HttpResponse<String> health = Await.until("the history open", Duration.ofSeconds(30), () -> {
                try {
                    HttpResponse<String> r = scaler.getAuthorized("/health");
                    return r.statusCode() == 200 ? r : null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, HttpResponse::body);
            assertThat(health.body()).contains("\"" + url + "&password=***\"").doesNotContain("password=scaler");
            assertThat(scaler.logText()).doesNotContain("password=scaler");
        } finally {
            PostgresSchema.drop("health_redaction");
        }
    }

    /**
     * A history file H2 cannot read (both store headers overwritten, as a bad disk or a bug might leave it): the
     * process stops once the pool's connection timeout is over, naming the file and H2's reason, and leaves
     * the file exactly as it was, for H2's recovery tool.
     */
    @Test
    void aCorruptedHistoryFileStopsTheProcessWithH2sReasonAndIsLeftAsItWas() throws Exception {
        Path file = data.resolve("history");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file, "sa", "");
             Statement s = c.createStatement()) {
            s.execute("create table kept(id int primary key)");
            s.execute("insert into kept select x from system_range(1, 1000)");
        }
        Path db = data.resolve("history.mv.db");
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8192), 0); // H2 keeps two copies of its header, in the first 8 KB
        }
        byte[] before = Files.readAllBytes(db);
        Map<String, Object> p = props();
        p.put("datasources.default.url", "jdbc:h2:file:" + file + ";AUTO_SERVER=FALSE");
        p.put("datasources.default.connection-timeout", "3000");
        try (ScalerProcess scaler = ScalerProcess.start(data, p, data.resolve("scaler.log"))) {
            scaler.awaitExit(Duration.ofSeconds(60));
            assertThat(scaler.exitCode()).isEqualTo(1);
            String log = scaler.logText();
            String stop = log.lines().filter(l -> l.contains("history could not be opened, stopping:"))
                    .findFirst().orElseThrow(() -> new AssertionError("no stop line in:\n" + log));
            assertThat(stop).contains(db.toString()).contains("File corrupted while reading record")
                    .contains("recovery tool").contains("docs/history.md");
            // one wait, then the reason: not a second attempt through Flyway, nor a warning that blames WRITE_DELAY
            assertThat(log).doesNotContain("WRITE_DELAY").doesNotContain("Flyway");
        }
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }
}
