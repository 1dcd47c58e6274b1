package dev.scaler.leader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scaler.testing.Await;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.PlaybookSampler;
import dev.scaler.testing.PostgresSchema;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerProcess;
import dev.scaler.testing.ScalerProps;
import dev.scaler.testing.ScrapedExporter;
import dev.scaler.testing.SlowPlaybook;
import dev.scaler.testing.TcpProxy;
import dev.scaler.testing.TestExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's proof: two and three real Scaler JVMs on the real PostgreSQL, with a real Prometheus, the real
 * ansible-playbook and a real compose service. One leads, the others stand by and refuse writes naming it;
 * kill -9 of the leader during a load ramp hands the lead over within two poll intervals; a leader whose
 * database connection is cut (its relay closed and its backends terminated with pg_terminate_backend) stops
 * acting and kills its playbook while the other takes over. /proc is sampled all along for runs of the
 * playbook: never two at once. The history holds every decision once, under non-decreasing epochs.
 */
@Tag("chaos")
class HighAvailabilityEndToEndTest {

    static final String TARGET = "webapp";
    static final Duration POLL = Duration.ofSeconds(2);
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ScrapedExporter metrics = ScrapedExporter.perClass().gauge("webapp_load", 5);

    @TempDir
    Path data;
    @TempDir
    Path work;
    final Resources resources = new Resources();
    ComposeProject compose;
    TestExporter exporter;
    PrometheusProcess prometheus;
    String url;
    String schema;

    @BeforeEach
    void realParts() throws Exception {
        url = RealParts.requirePostgres();
        RealParts.requireComposeScaling();
        RealParts.requireCommand("flock");
        compose = resources.track(new ComposeProject("ha"));
        exporter = metrics.exporter();
        prometheus = metrics.prometheus();
        schema = "ha_" + Long.toHexString(System.nanoTime());
        sql("create schema " + schema);
    }

    @AfterEach
    void cleanUp() throws Exception {
        resources.close();
        // the instances' logs outlive the temporary directory, for a failure's diagnosis
        Path keep = Path.of("target", "ha-e2e-logs", schema);
        Files.createDirectories(keep);
        try (var logs = Files.list(work)) {
            for (Path log : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.copy(log, keep.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        sql("drop schema if exists " + schema + " cascade");
    }

    void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "scaler", "scaler"); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    Connection db() throws Exception {
        Connection c = DriverManager.getConnection(url, "scaler", "scaler");
        try (Statement s = c.createStatement()) {
            s.execute("set search_path to " + schema);
        }
        return c;
    }

    Path slowPlaybook(int seconds) throws Exception {
        return SlowPlaybook.write(work, seconds);
    }

    /** One instance; {@code dbPort} is the real PostgreSQL's or a relay's in front of it. */
    ScalerProcess start(String id, Path playbook, int dbPort) throws IOException {
        int port = ScalerProcess.freePort();
        Map<String, Object> p = ScalerProps.on(prometheus).apiToken().playbook(playbook)
                .set("scaler.execution.shutdown-grace", "2s")
                .set("scaler.execution.lock-dir", data.resolve("locks").toString())
                .set("micronaut.server.port", port)
                .set("scaler.poll-interval", POLL.toSeconds() + "s")
                .set("scaler.leader.instance-id", id)
                .set("scaler.leader.advertise-url", "http://127.0.0.1:" + port)
                .setAll(PostgresSchema.properties(url.replace(":5432/", ":" + dbPort + "/") + "?ApplicationName=scaler-"
                        + id, schema))
                .set("datasources.default.connection-timeout", "2000")
                .compose(TARGET, compose).query("webapp_load").replicas(1, 4).capacity(10)
                .cooldowns("0s", "0s", "0s").retry("1s", "2s").build();
        return resources.track(ScalerProcess.start(data, p, work.resolve(id + ".log")));
    }

    /** The leadership an instance reports on /api/targets; empty when it does not answer. */
    static Optional<JsonNode> leadership(ScalerProcess s) {
        try {
            HttpResponse<String> r = s.get("/api/targets/" + TARGET);
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body()).get("leadership")) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String role(ScalerProcess s) {
        return leadership(s).map(l -> l.get("role").asText()).orElse("down");
    }

    static List<ScalerProcess> leaders(List<ScalerProcess> all) {
        return all.stream().filter(s -> s.isAlive() && role(s).equals("leader")).toList();
    }

    /** Decisions by id: the epoch they were written under never goes back, and none is missing. */
    List<Long> epochsOfDecisions() throws Exception {
        List<Long> epochs = new ArrayList<>();
        try (Connection c = db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select leader_epoch from decision order by id")) {
            while (rs.next()) {
                long e = rs.getLong(1);
                epochs.add(rs.wasNull() ? null : e);
            }
        }
        return epochs;
    }

    record Action(long decisionId, String result, int to, String tail, long epoch) {
    }

    List<Action> actions() throws Exception {
        List<Action> actions = new ArrayList<>();
        try (Connection c = db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select a.decision_id, a.result, a.to_replicas, a.output_tail,"
                     + " d.leader_epoch from action a join decision d on d.id = a.decision_id order by a.id")) {
            while (rs.next()) {
                actions.add(new Action(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getLong(5)));
            }
        }
        return actions;
    }

    /** leader_event rows as "EVENT instance epoch: reason", oldest first, with the database time of each. */
    List<String> events() throws Exception {
        List<String> events = new ArrayList<>();
        try (Connection c = db(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select event, instance, epoch, reason from leader_event order by id")) {
            while (rs.next()) {
                events.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3) + ": " + rs.getString(4));
            }
        }
        return events;
    }

    List<Action> actionsOrNone() {
        try {
            return actions();
        } catch (Exception e) {
            return List.of();
        }
    }

    List<String> eventsOrNone() {
        try {
            return events();
        } catch (Exception e) {
            return List.of();
        }
    }

    long acquiredAt(String instance, long afterMillis) throws Exception {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("select min(at) from leader_event"
                + " where event = 'ACQUIRED' and instance = ? and at >= ?")) {
            ps.setString(1, instance);
            ps.setLong(2, afterMillis);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** When (epoch ms) the first decision of {@code instance}'s newest term was made; waits for it. */
    long firstDecisionOf(String instance) {
        long[] at = new long[1];
        Await.until("a decision of " + instance, Duration.ofSeconds(30), () -> {
            try (Connection c = db(); PreparedStatement ps = c.prepareStatement("select min(d.decided_at) from decision d"
                    + " where d.leader_epoch = (select max(epoch) from leader_event where instance = ?"
                    + " and event = 'ACQUIRED')")) {
                ps.setString(1, instance);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    at[0] = rs.getLong(1);
                    return !rs.wasNull();
                }
            } catch (Exception e) {
                return false;
            }
        });
        return at[0];
    }

    static final Pattern LOG_TIME = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})[.,](\\d{3})");

    /**
     * How long after {@code sinceMillis} (this machine's clock) {@code s} logged its first line containing
     * {@code text}: the log's time of day, as both JVMs read the same clock and zone.
     */
    static long loggedAfter(ScalerProcess s, String text, long sinceMillis) {
        String line = s.logText().lines().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + text + "' in:\n" + s.logText()));
        Matcher m = LOG_TIME.matcher(line);
        if (!m.find()) {
            throw new AssertionError("no time of day in the log line: " + line);
        }
        long logged = Duration.ofHours(Long.parseLong(m.group(1))).plusMinutes(Long.parseLong(m.group(2)))
                .plusSeconds(Long.parseLong(m.group(3))).plusMillis(Long.parseLong(m.group(4))).toMillis();
        long since = LocalTime.ofInstant(Instant.ofEpochMilli(sinceMillis), ZoneId.systemDefault()).toNanoOfDay()
                / 1_000_000;
        long day = Duration.ofDays(1).toMillis();
        long after = Math.floorMod(logged - since, day);
        return after > day / 2 ? after - day : after; // a line just before midnight, the cut just after
    }

    static void assertHistoryOnce(List<Long> epochs, List<Action> actions) {
        assertThat(epochs).as("every decision carries the epoch it was fenced with").doesNotContainNull();
        assertThat(epochs).as("epochs by decision id never go back: never two writers").isSorted();
        assertThat(actions).as("each decision acted on once").extracting(Action::decisionId).doesNotHaveDuplicates();
        assertThat(actions).as("nothing left RUNNING").noneMatch(a -> a.result().equals("RUNNING"));
    }

    @Test
    void threeInstancesOneLeadsAndKillMinusNineOfTheLeaderHandsOverWithinTwoPollIntervals() throws Exception {
        compose.up(1);
        Path playbook = slowPlaybook(4);
        PlaybookSampler runs = resources.track(PlaybookSampler.start(playbook));
        List<ScalerProcess> all = List.of(start("ha-a", playbook, 5432), start("ha-b", playbook, 5432),
                start("ha-c", playbook, 5432));
        Await.until("one leader", Duration.ofSeconds(30), () -> leaders(all).size() == 1);
        Await.sleep(POLL.toMillis());
        assertThat(leaders(all)).as("exactly one leads").hasSize(1);
        ScalerProcess leader = leaders(all).get(0);
        String leaderId = leadership(leader).orElseThrow().get("instance").asText();
        List<ScalerProcess> standbys = all.stream().filter(s -> s != leader).toList();

        for (ScalerProcess standby : standbys) {
            JsonNode l = leadership(standby).orElseThrow();
            assertThat(l.get("role").asText()).isEqualTo("standby");
            assertThat(l.get("leader").asText()).isEqualTo(leaderId);
            assertThat(l.get("leaderUrl").asText()).isEqualTo("http://127.0.0.1:" + leader.port());
            // healthy: an orchestrator must not restart a standby
            HttpResponse<String> health = standby.getAuthorized("/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            JsonNode details = JSON.readTree(health.body()).get("details").get("leadership").get("details");
            assertThat(details.get("role").asText()).isEqualTo("standby");
            assertThat(details.get("leader").asText()).isEqualTo(leaderId);
            // writes are refused, naming the leader and where to send them
            HttpResponse<String> write = standby.post("/api/targets/" + TARGET + "/scale", "{\"replicas\": 2}");
            assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
            assertThat(write.headers().firstValue("Location")).contains("http://127.0.0.1:" + leader.port()
                    + "/api/targets/" + TARGET + "/scale");
            JsonNode refused = JSON.readTree(write.body());
            assertThat(refused.get("error").asText()).contains("standby").contains(leaderId)
                    .contains("http://127.0.0.1:" + leader.port());
            assertThat(refused.get("leaderUrl").asText()).isEqualTo("http://127.0.0.1:" + leader.port());
            assertThat(standby.get("/prometheus").body()).contains("scaler_leader{instance=\"" + l.get("instance")
                    .asText() + "\"} 0.0");
            assertThat(standby.get("/").body()).as("the status page names the leader")
                    .contains("<p id=\"leadership\">leader: " + leaderId + ", this instance ("
                            + l.get("instance").asText() + ") stands by, since ");
        }
        JsonNode leaderHealth = JSON.readTree(leader.getAuthorized("/health").body()).get("details").get("leadership")
                .get("details");
        assertThat(leaderHealth.get("role").asText()).isEqualTo("leader");
        assertThat(leaderHealth.get("since").asText()).isNotBlank();
        assertThat(leader.get("/prometheus").body()).contains("scaler_leader{instance=\"" + leaderId + "\"} 1.0")
                .contains("scaler_leader_since_seconds{instance=\"" + leaderId + "\"}")
                .contains("scaler_leader_failovers_total{instance=\"" + leaderId + "\"}");

        // the ramp: 25 needs 3 replicas; the leader's playbook runs when it is killed
        exporter.set("webapp_load", 25);
        Await.until("the leader's playbook to run", Duration.ofSeconds(30), () -> runs.runs().size() == 1);
        long killedAt = System.currentTimeMillis();
        leader.kill();
        leader.awaitExit(Duration.ofSeconds(10));

        Await.until("a standby to take the lead", Duration.ofSeconds(15), () -> leaders(standbys).size() == 1);
        ScalerProcess next = leaders(standbys).get(0);
        String nextId = leadership(next).orElseThrow().get("instance").asText();
        long takeover = acquiredAt(nextId, killedAt - 1000) - killedAt;
        System.out.println("HA kill -9: lead taken over " + takeover + "ms after the kill (bound "
                + POLL.multipliedBy(2).toMillis() + "ms)");
        assertThat(takeover).as("takeover after kill -9, events %s", events()).isLessThanOrEqualTo(
                POLL.multipliedBy(2).toMillis());
        long firstDecision = firstDecisionOf(nextId) - killedAt;
        System.out.println("HA kill -9: the new leader's first decision " + firstDecision + "ms after the kill");
        Await.until("3 replicas", Duration.ofSeconds(60), () -> compose.running() == 3);
        exporter.set("webapp_load", 35);
        Await.until("4 replicas, scaled by the new leader", Duration.ofSeconds(60), () -> compose.running() == 4);
        Await.until("its run to be recorded", Duration.ofSeconds(30), () -> runs.runs().isEmpty()
                && actionsOrNone().stream().anyMatch(a -> a.to() == 4 && a.result().equals("SUCCEEDED")));
        assertThat(leaders(standbys)).as("still exactly one leader").containsExactly(next);
        assertThat(leadership(next).orElseThrow().get("failovers").asLong()).isGreaterThanOrEqualTo(1);

        for (ScalerProcess s : standbys) {
            s.terminate();
            s.awaitExit(Duration.ofSeconds(30));
        }
        assertThat(runs.mostAtOnce()).as("playbooks at once, the orphan included").isEqualTo(1);
        List<Action> actions = actions();
        assertHistoryOnce(epochsOfDecisions(), actions);
        assertThat(actions.get(0).result()).as("the killed leader's run: %s", actions).isEqualTo("INTERRUPTED");
        assertThat(actions.get(0).tail()).contains("took the lead");
        assertThat(actions).anySatisfy(a -> {
            assertThat(a.result()).isEqualTo("SUCCEEDED");
            assertThat(a.to()).isEqualTo(4);
            assertThat(a.epoch()).isGreaterThan(actions.get(0).epoch());
        });
        assertThat(next.logText()).contains("leadership acquired: instance=" + nextId)
                .contains("closed as INTERRUPTED");
    }

    @Test
    void aLeaderCutFromTheDatabaseStopsActingAndTheOtherTakesOver() throws Exception {
        compose.up(1);
        Path playbook = slowPlaybook(10);
        PlaybookSampler runs = resources.track(PlaybookSampler.start(playbook));
        TcpProxy relay = resources.track(TcpProxy.to("127.0.0.1", 5432));
        ScalerProcess a = start("ha-a", playbook, relay.port());
        Await.until("a to lead", Duration.ofSeconds(30), () -> role(a).equals("leader"));
        ScalerProcess b = start("ha-b", playbook, 5432);
        Await.until("b to stand by", Duration.ofSeconds(30), () -> role(b).equals("standby"));

        exporter.set("webapp_load", 25);
        Await.until("a's playbook to run its slow task", Duration.ofSeconds(30), () -> runs.runs().size() == 1
                && ProcessHandle.of(runs.runs().get(0)).map(h -> h.descendants().anyMatch(d -> d.info().command()
                .orElse("").endsWith("sleep"))).orElse(false));
        long aRun = runs.runs().get(0);
        long cutAt = System.currentTimeMillis();
        // its connections are terminated and it cannot open new ones: the leader is cut from the database
        relay.refuseNew();
        int terminated;
        try (Connection c = DriverManager.getConnection(url, "scaler", "scaler"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) filter (where pg_terminate_backend(pid)) from"
                     + " pg_stat_activity where application_name = 'scaler-ha-a'")) {
            rs.next();
            terminated = rs.getInt(1);
        }
        System.out.println("HA cut: terminated " + terminated + " backend(s) of ha-a");
        assertThat(terminated).as("ha-a's backends terminated").isPositive();

        Await.until("a to stop acting and kill its playbook", Duration.ofSeconds(10),
                () -> ProcessHandle.of(aRun).map(h -> !h.isAlive()).orElse(true));
        Await.until("b to take the lead", Duration.ofSeconds(15), () -> role(b).equals("leader"));
        long takeover = acquiredAt("ha-b", cutAt - 1000) - cutAt;
        // From a's own log, not from the killed playbook's pid vanishing, which waits for the zombie to be reaped;
        // its LOST row cannot say either: it is written once a reaches the database again.
        long stoppedAfter = loggedAfter(a, "leadership lost: instance=ha-a", cutAt);
        long killedAfter = loggedAfter(a, "leadership lost: killed 1 running playbook(s)", cutAt);
        System.out.println("HA cut: a stopped acting " + stoppedAfter + "ms and had killed its playbook " + killedAfter
                + "ms after the cut (the times of ha-a's log lines 'leadership lost: instance=ha-a' and 'killed 1"
                + " running playbook(s)'), b took the lead " + takeover + "ms after the cut (its ACQUIRED row)");
        assertThat(takeover).isLessThanOrEqualTo(POLL.multipliedBy(2).toMillis());
        // a cannot read the history now, so its API cannot answer; its own metrics can
        assertThat(a.get("/prometheus").body()).contains("scaler_leader{instance=\"ha-a\"} 0.0");
        assertThat(a.logText()).contains("leadership lost: instance=ha-a").contains("killed 1 running playbook(s)");

        Await.until("3 replicas, scaled by b", Duration.ofSeconds(60), () -> compose.running() == 3);
        Await.until("b's run to be recorded", Duration.ofSeconds(30), () -> runs.runs().isEmpty()
                && actionsOrNone().stream().anyMatch(x -> x.to() == 3 && x.result().equals("SUCCEEDED")));
        relay.restore();
        Await.until("a's loss recorded once it reaches the database again", Duration.ofSeconds(20),
                () -> eventsOrNone().stream().anyMatch(e -> e.startsWith("LOST ha-a")));
        Await.sleep(POLL.toMillis());
        assertThat(role(a)).as("a stays standby: b's lease is live").isEqualTo("standby");
        assertThat(role(b)).isEqualTo("leader");

        a.terminate();
        b.terminate();
        a.awaitExit(Duration.ofSeconds(30));
        b.awaitExit(Duration.ofSeconds(30));
        assertThat(runs.mostAtOnce()).as("playbooks at once, sampled all along").isEqualTo(1);
        List<Action> actions = actions();
        assertHistoryOnce(epochsOfDecisions(), actions);
        assertThat(actions.get(0).result()).as("a's killed run: %s", actions).isEqualTo("INTERRUPTED");
        assertThat(actions).anySatisfy(x -> {
            assertThat(x.result()).isEqualTo("SUCCEEDED");
            assertThat(x.to()).isEqualTo(3);
            assertThat(x.epoch()).isGreaterThan(actions.get(0).epoch());
        });
        assertThat(events()).anySatisfy(e -> assertThat(e).startsWith("LOST ha-a").contains("not renewed"));
    }
}
