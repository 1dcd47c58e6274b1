package dev.scaler.loop;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.history.HistoryStore;
import dev.scaler.testing.Await;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Recorded;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import dev.scaler.testing.ScalerProps;
import dev.scaler.testing.ScrapedExporter;
import dev.scaler.testing.TestExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole loop against real parts: a real prometheus scraping a real exporter that counts real
 * HTTP requests, the real application, the repository's playbook run by ansible-playbook, and a
 * compose project on the real Docker engine.
 */
class ScalingEndToEndTest {

    static final String TARGET = "webapp";
    static final String QUERY = "sum(rate(webapp_requests_total[5s]))";

    /** One Prometheus for the run, shared with other classes; each test waits for the last load to leave the window. */
    @RegisterExtension
    static final ScrapedExporter metrics = ScrapedExporter.perRun().quietWhen(QUERY + " == 0");

    @TempDir
    Path data;

    final Resources resources = new Resources();
    ComposeProject compose;
    TestExporter exporter;
    PrometheusProcess prometheus;

    @BeforeEach
    void realParts() throws Exception {
        RealParts.requireComposeScaling();
        compose = track(new ComposeProject("scalere2e"));
        exporter = metrics.exporter();
        prometheus = metrics.prometheus();
    }

    @AfterEach
    void cleanUp() {
        resources.close();
    }

    <T extends AutoCloseable> T track(T resource) {
        return resources.track(resource);
    }

    /** The class's target; {@code overrides} are target keys ({@code min-replicas}) or whole property names. */
    Map<String, Object> target(Map<String, Object> overrides) {
        return ScalerProps.on(prometheus).compose(TARGET, compose).query(QUERY).replicas(1, 4).capacity(10)
                .cooldowns("1s", "6s", "3s").retry("2s", "4s").setAll(overrides).build();
    }

    URI hit() {
        return URI.create("http://" + exporter.address() + "/hit");
    }

    static List<HistoryStore.HistoryEntry> history(ScalerApp app) {
        return Recorded.entries(app, TARGET);
    }

    static List<ActionRecord> actions(ScalerApp app) {
        return Recorded.actions(app, TARGET);
    }

    @Test
    void loadScalesUpAndIdleScalesDownAfterTheCooldown() {
        compose.up(1);
        ScalerApp app = track(ScalerApp.start(data, target(Map.of())));

        try (LoadGenerator load = new LoadGenerator(hit(), 35)) {
            Await.until("4 replicas under 35 req/s at 10 per replica", Duration.ofSeconds(120), () -> compose.running() == 4);
            Await.until("the API to show 4 observed", Duration.ofSeconds(20),
                    () -> app.get("/api/targets").body().contains("\"observed\":4"));
        }
        Await.until("back to 1 replica when idle", Duration.ofSeconds(120), () -> compose.running() == 1);
        // The containers are gone before the playbook's last task: wait for the run to be recorded.
        Await.until("the scale-down to 1 recorded", Duration.ofSeconds(60), () -> recorded(app, 1));

        List<ActionRecord> done = actions(app).stream().filter(a -> a.result().equals("SUCCEEDED")).toList();
        ActionRecord lastUp = done.stream().filter(a -> a.toReplicas() > a.fromReplicas()).reduce((a, b) -> b).orElseThrow();
        ActionRecord firstDown = done.stream().filter(a -> a.toReplicas() < a.fromReplicas()).findFirst().orElseThrow();
        assertThat(Duration.between(lastUp.endedAt(), firstDown.startedAt()))
                .as("the scale-down waited for the 6s scale-down cooldown")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(6));
        List<DecisionRecord> decisions = history(app).stream().map(HistoryStore.HistoryEntry::decision).toList();
        assertThat(decisions).anyMatch(d -> d.outcome().equals("HOLD") && d.reason().contains("cooldown"));
        assertThat(decisions).allMatch(d -> d.reason() != null && !d.reason().isBlank());

        var api = app.get("/api/history?target=" + TARGET + "&limit=5");
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains("\"target\":\"webapp\"").contains("\"reason\"");
        assertThat(app.get("/api/history?limit=0").statusCode()).isEqualTo(400);
        assertThat(app.get("/api/history?limit=0").body()).contains("limit");
        assertThat(app.get("/api/history?target=nope").statusCode()).isEqualTo(404);
        // Health is UP once ticks complete (while a playbook runs, it allows the run's timeout).
        Await.until("health UP once ticks complete", Duration.ofSeconds(20), () -> app.get("/health").statusCode() == 200);
        assertThat(app.get("/health").body()).contains("UP");
        String metrics = app.get("/prometheus").body();
        assertThat(metrics).contains("scaler_ticks_total{target=\"webapp\"}")
                .contains("scaler_actions_total{result=\"SUCCEEDED\",target=\"webapp\"}")
                .contains("scaler_decisions_total")
                .contains("scaler_tick_duration_seconds")
                .contains("scaler_metric_state{state=\"healthy\",target=\"webapp\"} 1.0");
    }

    @Test
    void prometheusKilledMidRunMeansHoldsNotAScaleDown() {
        compose.up(1);
        ScalerApp app = track(ScalerApp.start(data, target(Map.of(
                "scale-down-cooldown", "1s", "scale-down-stabilization", "0s"))));
        try (LoadGenerator load = new LoadGenerator(hit(), 25)) {
            Await.until("3 replicas under 25 req/s", Duration.ofSeconds(120), () -> compose.running() == 3);
            prometheus.kill();
        }
        long holdsBefore = unreachableHolds(app);
        Await.until("several holds on an unreachable Prometheus", Duration.ofSeconds(30),
                () -> unreachableHolds(app) >= holdsBefore + 5);

        assertThat(compose.running()).as("no data is not zero load: nothing scaled down").isEqualTo(3);
        assertThat(actions(app)).noneMatch(a -> a.toReplicas() < a.fromReplicas());
        assertThat(app.get("/api/targets").body()).contains("\"metricState\":\"UNREACHABLE\"");
    }

    /** A successful action to {@code replicas} is in the history. */
    static boolean recorded(ScalerApp app, int replicas) {
        return Recorded.succeeded(app, TARGET, replicas);
    }

    static long unreachableHolds(ScalerApp app) {
        return history(app).stream().map(HistoryStore.HistoryEntry::decision)
                .filter(d -> d.outcome().equals("HOLD") && "UNREACHABLE".equals(d.metricState())
                        && d.reason().contains("UNREACHABLE"))
                .count();
    }

    @Test
    void failingPlaybookIsRecordedStartsNoCooldownAndIsRetriedWithBackoff() {
        compose.up(1);
        ScalerApp app = track(ScalerApp.start(data, target(Map.of(
                "min-replicas", 2,
                "scaler.execution.playbook", ScalerApp.repoPath("src/test/resources/playbooks/fail.yml")))));

        Await.until("three failed actions", Duration.ofSeconds(90),
                () -> actions(app).stream().filter(a -> a.result().equals("FAILED")).count() >= 3);

        List<ActionRecord> failed = actions(app).stream().filter(a -> a.result().equals("FAILED")).toList();
        assertThat(failed.get(0).exitCode()).isEqualTo(2);
        assertThat(failed.get(0).outputTail()).contains("scaler test failure on purpose");
        assertThat(Duration.between(failed.get(0).endedAt(), failed.get(1).startedAt()))
                .as("first retry after the 2s initial backoff").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(Duration.between(failed.get(1).endedAt(), failed.get(2).startedAt()))
                .as("second retry after the doubled 4s backoff").isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        List<DecisionRecord> decisions = history(app).stream().map(HistoryStore.HistoryEntry::decision).toList();
        assertThat(decisions).anyMatch(d -> d.outcome().equals("RETRY") && d.reason().contains("failed"));
        assertThat(decisions).noneMatch(d -> d.reason().contains("cooldown"));
        assertThat(compose.running()).isEqualTo(1);
        assertThat(app.get("/prometheus").body()).contains("scaler_actions_total{result=\"FAILED\",target=\"webapp\"}");
    }

    @Test
    void hangingPlaybookTimesOutNeverOverlapsAndHealthWaitsForItsTimeout() {
        compose.up(1);
        ScalerApp app = track(ScalerApp.start(data, target(Map.of(
                "min-replicas", 2,
                "retry-initial", "1s",
                "scaler.execution.timeout", "8s",
                "scaler.execution.playbook", ScalerApp.repoPath("src/test/resources/playbooks/hang.yml")))));

        // The loop waits for the playbook, which the watchdog kills at its timeout: /health allows the timeout
        // plus a poll interval while a run is going (past 3 poll intervals, the bound without one), so an
        // orchestrator does not replace a Scaler in the middle of a slow scale.
        Await.until("the hanging playbook started", Duration.ofSeconds(30),
                () -> RealParts.runsOk("pgrep", "-f", "^sleep 600$"));
        for (int i = 0; i < 6; i++) {
            assertThat(app.get("/health").statusCode()).as("health %d s into a run within its timeout", i).isEqualTo(200);
            Await.sleep(1_000);
        }
        Await.until("two timed-out actions", Duration.ofSeconds(90),
                () -> actions(app).stream().filter(a -> a.result().equals("TIMED_OUT")).count() >= 2);

        List<ActionRecord> all = actions(app);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).startedAt()).as("action %d starts after action %d ended", i, i - 1)
                    .isAfterOrEqualTo(all.get(i - 1).endedAt());
        }
        ActionRecord first = all.get(0);
        assertThat(first.exitCode()).isNull();
        assertThat(Duration.between(first.startedAt(), first.endedAt())).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(20));
        assertThat(app.get("/prometheus").body()).contains("scaler_ticks_skipped_total{target=\"webapp\"}");
        assertThat(RealParts.runsOk("pgrep", "-f", "^sleep 600$")).as("no hung sleep left behind").isFalse();
        assertThat(compose.running()).isEqualTo(1);
    }

    @Test
    void aRestartRemembersTheCooldownAndDoesNotFlap() {
        compose.up(1);
        Map<String, Object> props = target(Map.of("scale-down-cooldown", "25s", "scale-down-stabilization", "0s"));
        ScalerApp first = ScalerApp.start(data, props);
        try (LoadGenerator load = new LoadGenerator(hit(), 35)) {
            Await.until("4 replicas under load", Duration.ofSeconds(120), () -> compose.running() == 4);
            Await.until("the scale-up to 4 recorded", Duration.ofSeconds(60), () -> recorded(first, 4));
        } finally {
            first.close();
        }

        ScalerApp second = track(ScalerApp.start(data, props));
        Await.until("the restarted scaler to evaluate", Duration.ofSeconds(20),
                () -> second.get("/api/targets").body().contains("\"lastOutcome\""));
        assertThat(second.get("/api/targets").body()).doesNotContain("\"scaleDownCooldownRemainingSeconds\":0");
        Await.until("idle load seen after the restart", Duration.ofSeconds(30),
                () -> history(second).stream().map(HistoryStore.HistoryEntry::decision)
                        .anyMatch(d -> d.reason().contains("scale-down cooldown")));
        assertThat(compose.running()).as("the cooldown survived the restart").isEqualTo(4);
    }

    @Test
    void replicasThatDieOrAreRemovedAreRestoredAndTheReasonIsRecorded() {
        compose.up(1);
        try (LoadGenerator load = new LoadGenerator(hit(), 25)) {
            // the load is steady before the app starts, so its first scale-up goes straight to 3
            prometheus.awaitData(QUERY + " > 21", Duration.ofSeconds(60));
            // a long scale-up cooldown: after that scale-up only a restore can bring replicas back
            ScalerApp app = track(ScalerApp.start(data, target(Map.of("scale-up-cooldown", "10m",
                    "scale-down-stabilization", "10m"))));
            Await.until("3 replicas under 25 req/s", Duration.ofSeconds(120), () -> compose.running() == 3);
            Await.until("the scale-up to 3 recorded", Duration.ofSeconds(60), () -> recorded(app, 3));
            int before = actions(app).size();

            compose.removeOne();
            compose.killOne();
            Await.until("3 replicas again", Duration.ofSeconds(90), () -> compose.running() == 3);
            Await.until("the restore recorded", Duration.ofSeconds(60),
                    () -> actions(app).size() > before && recorded(app, 3));
            assertRestoreRecorded(app);
        }
    }

    @Test
    void replicasThatNeverStartAreRestoredLessAndLessOften() throws Exception {
        ComposeProject crashing = track(ComposeProject.crashing("scalercrash"));
        ScalerApp app = track(ScalerApp.start(data, target(Map.of("compose-project", crashing.name(),
                "compose-project-dir", crashing.dir().toString(), "min-replicas", 2, "retry-initial", "2s",
                "retry-max", "8s"))));

        Await.until("three actions that set 2", Duration.ofSeconds(150), () -> setTo2(app).size() >= 3);

        List<ActionRecord> sets = setTo2(app);
        assertThat(Duration.between(sets.get(0).endedAt(), sets.get(1).startedAt()))
                .as("the first restore waited retry-initial").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(Duration.between(sets.get(1).endedAt(), sets.get(2).startedAt()))
                .as("the second restore waited twice as long").isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        assertThat(Recorded.decisions(app, TARGET)).anyMatch(d -> d.outcome().equals("HOLD")
                && d.reason().contains("0 of the 2 decided replicas run")
                && d.reason().contains("(delay 4s after 2 action(s) in a row set 2)"));
        assertThat(crashing.running()).isZero();
    }

    static List<ActionRecord> setTo2(ScalerApp app) {
        return actions(app).stream().filter(a -> a.result().equals("SUCCEEDED") && a.toReplicas() == 2).toList();
    }

    static void assertRestoreRecorded(ScalerApp app) {
        DecisionRecord restore = history(app).stream().map(HistoryStore.HistoryEntry::decision)
                .filter(d -> d.outcome().equals("SCALE") && d.reason().contains("availability:"))
                .findFirst().orElseThrow();
        assertThat(restore.observed()).isLessThan(3);
        assertThat(restore.finalReplicas()).isEqualTo(3);
        assertThat(restore.reason()).contains("of the 3 decided replicas run (exited or removed): restoring to 3");
    }

    @Test
    void dryRunDecidesAndRecordsButExecutesNothing() {
        compose.up(1);
        ScalerApp app = track(ScalerApp.start(data, target(Map.of("scaler.dry-run", true, "min-replicas", 2))));

        Await.until("a dry-run action", Duration.ofSeconds(30),
                () -> actions(app).stream().anyMatch(a -> a.result().equals("DRY_RUN")));
        Await.sleep(2000);

        assertThat(compose.running()).isEqualTo(1);
        assertThat(history(app)).anyMatch(e -> e.decision().dryRun() && e.decision().outcome().equals("SCALE"));
        assertThat(app.get("/api/targets").body()).contains("\"dryRun\":true");
    }
}
