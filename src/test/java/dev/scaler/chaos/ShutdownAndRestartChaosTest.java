package dev.scaler.chaos;

import dev.scaler.testing.Await;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.PlaybookSampler;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerProcess;
import dev.scaler.testing.ScalerProps;
import dev.scaler.testing.ScrapedExporter;
import dev.scaler.testing.SlowPlaybook;
import dev.scaler.testing.TestExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edges of Scaler's life, with faults injected into a real Scaler JVM: SIGTERM while a slow real playbook
 * scales a real compose service (once within the grace, once past it), and kill -9 during a run followed by a
 * restart on the same database while the orphaned playbook goes on. All along, /proc is sampled for runs of the
 * playbook: never two at once for the service.
 */
@Tag("chaos")
class ShutdownAndRestartChaosTest {

    static final String TARGET = "webapp";

    @RegisterExtension
    static final ScrapedExporter metrics = ScrapedExporter.perClass().gauge("webapp_load", 35);

    @TempDir
    Path data;
    @TempDir
    Path work;
    final Resources resources = new Resources();
    ComposeProject compose;
    TestExporter exporter;
    PrometheusProcess prometheus;

    @BeforeEach
    void realParts() throws Exception {
        RealParts.requireComposeScaling();
        RealParts.requireCommand("flock");
        compose = resources.track(new ComposeProject("chaos"));
        exporter = metrics.exporter();
        prometheus = metrics.prometheus();
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    Path slowPlaybook(int seconds) throws Exception {
        return SlowPlaybook.write(work, seconds);
    }

    Map<String, Object> props(Path playbook, String grace) {
        return ScalerProps.on(prometheus).apiToken().playbook(playbook)
                .set("scaler.execution.shutdown-grace", grace)
                .set("scaler.execution.lock-dir", data.resolve("locks").toString())
                .compose(TARGET, compose).query("webapp_load").replicas(1, 4).capacity(10)
                .cooldowns("0s", "0s", "0s").retry("1s", "2s").build();
    }

    @Test
    void sigtermDuringASlowPlaybookLetsItFinishWithinTheGraceAndRecordsItsOutcome() throws Exception {
        compose.up(1);
        Path playbook = slowPlaybook(6);
        PlaybookSampler runs = resources.track(PlaybookSampler.start(playbook));
        ScalerProcess scaler = resources.track(ScalerProcess.start(data, props(playbook, "30s"), work.resolve("a.log")));
        Await.until("the scale-up's playbook to run", Duration.ofSeconds(60), () -> runs.runs().size() == 1);
        assertThat(scaler.status("/health/readiness")).isEqualTo(200);

        scaler.terminate();
        Await.until("readiness DOWN while the playbook finishes", Duration.ofSeconds(5),
                () -> scaler.status("/health/readiness") == 503 || !scaler.isAlive());
        assertThat(runs.runs()).as("the playbook goes on after SIGTERM").hasSize(1);
        // nothing new starts while it finishes: neither a manual scale nor an alert's evaluation
        var manual = scaler.post("/api/targets/" + TARGET + "/scale", "{\"replicas\": 2}");
        assertThat(manual.statusCode()).as(manual.body()).isEqualTo(503);
        assertThat(manual.body()).contains("not scaled: Scaler is shutting down");
        var alert = scaler.post("/api/alerts", """
                {"version": "4", "status": "firing", "receiver": "scaler", "groupKey": "g",
                 "alerts": [{"status": "firing", "labels": {"alertname": "Load", "scaler_target": "webapp"},
                             "startsAt": "2026-12-02T10:00:00Z", "fingerprint": "f1"}]}""");
        assertThat(alert.statusCode()).as(alert.body()).isEqualTo(503);
        assertThat(alert.body()).contains("Scaler is shutting down");
        Duration exit = scaler.awaitExit(Duration.ofSeconds(30));

        assertThat(runs.mostAtOnce()).as("playbooks at once").isEqualTo(1);
        assertThat(runs.runsSeen()).as("no playbook started after SIGTERM").isEqualTo(1);
        assertThat(exit).isLessThan(Duration.ofSeconds(30));
        assertThat(compose.running()).isEqualTo(4);
        assertThat(actions()).as(scaler.logText()).singleElement().satisfies(a -> {
            assertThat(a.result()).isEqualTo("SUCCEEDED");
            assertThat(a.to()).isEqualTo(4);
        });
        assertThat(scaler.logText()).contains("shutdown (signal): no new evaluation, alert or manual scale starts")
                .contains("shutdown: loop stopped (every evaluation recorded its outcome)");
    }

    @Test
    void sigtermPastTheGraceKillsThePlaybookTreeAndRecordsItInterrupted() throws Exception {
        compose.up(1);
        Path playbook = slowPlaybook(120);
        PlaybookSampler runs = resources.track(PlaybookSampler.start(playbook));
        ScalerProcess scaler = resources.track(ScalerProcess.start(data, props(playbook, "2s"), work.resolve("b.log")));
        Await.until("the scale-up's playbook to run its slow task", Duration.ofSeconds(60),
                () -> runs.runs().size() == 1 && descendants(runs.runs().get(0)).stream()
                        .anyMatch(h -> h.info().command().orElse("").endsWith("sleep")));
        List<ProcessHandle> tree = new ArrayList<>(descendants(runs.runs().get(0)));
        ProcessHandle.of(runs.runs().get(0)).ifPresent(tree::add);

        scaler.terminate();
        Duration exit = scaler.awaitExit(Duration.ofSeconds(20));

        assertThat(exit).as("grace 2s, then the kill and its record").isLessThan(Duration.ofSeconds(12));
        // SIGKILL is sent before Scaler exits; the kernel and init take a moment to reap what it killed
        Await.until("the whole playbook tree gone: " + tree, Duration.ofSeconds(5),
                () -> tree.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(runs.runs()).isEmpty();
        assertThat(runs.mostAtOnce()).isEqualTo(1);
        assertThat(actions()).as(scaler.logText()).singleElement().satisfies(a -> {
            assertThat(a.result()).isEqualTo("INTERRUPTED");
            assertThat(a.tail()).contains("killed at shutdown");
        });
        assertThat(compose.running()).as("the scale itself never ran").isEqualTo(1);
    }

    @Test
    void killDuringARunThenARestartClosesTheRunAsInterruptedAndWaitsForTheOrphan() throws Exception {
        compose.up(1);
        Path playbook = slowPlaybook(10);
        PlaybookSampler runs = resources.track(PlaybookSampler.start(playbook));
        ScalerProcess first = resources.track(ScalerProcess.start(data, props(playbook, "30s"), work.resolve("c1.log")));
        Await.until("the first Scaler's playbook to run", Duration.ofSeconds(60), () -> runs.runs().size() == 1);
        long orphan = runs.runs().get(0);

        first.kill();
        first.awaitExit(Duration.ofSeconds(10));
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the orphan goes on").contains(true);

        ScalerProcess second = resources.track(ScalerProcess.start(data, props(playbook, "30s"),
                work.resolve("c2.log")));
        Await.until("the orphan to end", Duration.ofSeconds(60), () -> ProcessHandle.of(orphan).isEmpty()
                || !ProcessHandle.of(orphan).get().isAlive());
        Await.until("4 replicas", Duration.ofSeconds(60), () -> compose.running() == 4);
        // long enough for a storm to show: ticks every second, retries after 1 s
        Await.sleep(8000);
        second.terminate();
        second.awaitExit(Duration.ofSeconds(40));

        assertThat(runs.mostAtOnce()).as("playbooks at once, orphan included").isEqualTo(1);
        assertThat(runs.runsSeen()).as("the orphan and at most one run of the second Scaler").isLessThanOrEqualTo(2);
        List<Action> actions = actions();
        assertThat(actions.get(0).result()).as(second.logText()).isEqualTo("INTERRUPTED");
        assertThat(actions.get(0).tail()).contains("found still running at start-up");
        assertThat(actions).as("nothing left RUNNING").noneMatch(a -> a.result().equals("RUNNING"));
        assertThat(actions.size()).as("no storm of actions: %s", actions).isLessThanOrEqualTo(2);
        assertThat(second.logText()).contains("closed as INTERRUPTED at start-up");
        if (actions.size() == 2) {
            assertThat(actions.get(1).result()).isEqualTo("SUCCEEDED");
            assertThat(actions.get(1).tail()).as("the second run waited for the orphan's lock")
                    .containsAnyOf("waiting for the lock", "getting lock took");
        }
    }

    /** An action row as the test reads it from the stopped Scaler's database. */
    record Action(String result, int from, int to, String tail) {
    }

    List<Action> actions() throws Exception {
        List<Action> actions = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("history").toAbsolutePath(),
                "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select result, from_replicas, to_replicas, output_tail from action"
                     + " where target = '" + TARGET + "' order by started_at, id")) {
            while (rs.next()) {
                actions.add(new Action(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getString(4)));
            }
        }
        return actions;
    }

    static List<ProcessHandle> descendants(long pid) {
        return ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of());
    }
}
