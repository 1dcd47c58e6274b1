package dev.scaler.bench;

import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.history.JdbcHistoryStore;
import dev.scaler.testing.ScalerApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The status page over a full history: 50 targets with 7 days of 15-second decisions each (2,016,000 decisions,
 * a scale action about every 40 minutes), stored through the history store, in the real application with its H2
 * file. For the overview and one target's page over each window: time to first byte, time to the last byte and
 * the page's size, the median of 5 after 2 warm-ups. Prints BENCH lines; asserts nothing.
 */
class StatusPageBenchmark {

    static final int TARGETS = 50;
    static final Duration TICK = Duration.ofSeconds(15);
    static final Duration HISTORY = Duration.ofDays(7);

    @TempDir
    Path data;

    @Test
    void statusPage() throws Exception {
        Map<String, Object> p = new HashMap<>();
        // the scheduler stays out of the way: the history is the benchmark's, not the loop's
        p.put("scaler.initial-delay", "1h");
        p.put("scaler.poll-interval", "15s");
        p.put("scaler.dry-run", true);
        for (int i = 0; i < TARGETS; i++) {
            String t = "scaler.targets." + name(i) + ".";
            p.put(t + "query", "sum(rate(requests_total{app=\"" + name(i) + "\"}[1m]))");
            p.put(t + "compose-project", "statusbench");
            p.put(t + "compose-project-dir", data.toString());
            p.put(t + "service", name(i));
            p.put(t + "capacity-per-replica", 50);
            p.put(t + "max-replicas", 20);
        }
        try (ScalerApp app = ScalerApp.start(data, p)) {
            Instant now = Instant.now();
            long started = System.nanoTime();
            long decisions = fill(app.bean(JdbcHistoryStore.class), now);
            System.out.printf(Locale.ROOT, "BENCH status-page history: %d targets, %d decisions stored in %.1f s%n",
                    TARGETS, decisions, (System.nanoTime() - started) / 1e9);
            HttpClient http = HttpClient.newHttpClient();
            measure(http, app, "/");
            for (String window : new String[] {"1h", "6h", "24h", "7d"}) {
                measure(http, app, "/targets/" + name(7) + "?window=" + window);
            }
        }
    }

    /** A day-shaped load with noise and a few spikes; the replicas follow it, an action where they change. */
    static long fill(JdbcHistoryStore store, Instant now) {
        return fillTargets(store, now, TARGETS);
    }

    static long fillTargets(JdbcHistoryStore store, Instant now, int targets) {
        long ticks = HISTORY.dividedBy(TICK);
        long total = 0;
        for (int i = 0; i < targets; i++) {
            Random random = new Random(i);
            String target = name(i);
            List<DecisionRecord> batch = new ArrayList<>();
            int replicas = 2;
            Instant start = now.minus(HISTORY);
            List<long[]> changes = new ArrayList<>();
            for (long k = 0; k < ticks; k++) {
                Instant at = start.plus(TICK.multipliedBy(k));
                double day = Math.sin(2 * Math.PI * (k % 5760) / 5760.0);
                double load = Math.max(0, 300 + 250 * day + random.nextGaussian() * 20
                        + (random.nextInt(20_000) == 0 ? 600 : 0));
                int wanted = Math.max(1, Math.min(20, (int) Math.ceil(load / 50)));
                // only every 160th tick may act: about one action per 40 minutes, as cooldowns allow
                boolean act = wanted != replicas && k % 160 == 0;
                int decided = act ? wanted : replicas;
                batch.add(new DecisionRecord(null, target, "b" + k, at, replicas, "HEALTHY", load, null, wanted, wanted,
                        wanted, decided, decided, wanted, act ? "SCALE" : "HOLD",
                        (act ? "scale " + (decided > replicas ? "up " : "down ") + replicas + " -> " + decided
                                : "hold at " + replicas) + ": load " + Math.round(load) + " / 50 per replica: raw "
                                + wanted + ", after tolerance " + wanted + ", stabilized " + wanted + ", desired " + decided,
                        false));
                if (act) {
                    changes.add(new long[] {batch.size() - 1, replicas, decided, at.toEpochMilli()});
                    replicas = decided;
                }
                if (batch.size() == 5000 || k == ticks - 1) {
                    List<Long> ids = store.saveDecisions(batch);
                    List<ActionRecord> actions = new ArrayList<>();
                    for (long[] c : changes) {
                        Instant actedAt = Instant.ofEpochMilli(c[3]);
                        actions.add(new ActionRecord(null, ids.get((int) c[0]), target, null, actedAt, actedAt.plusSeconds(6),
                                (int) c[1], (int) c[2], 0, "SUCCEEDED", "ok"));
                    }
                    store.saveAll(List.of(), actions);
                    total += batch.size();
                    batch.clear();
                    changes.clear();
                }
            }
        }
        return total;
    }

    static void measure(HttpClient http, ScalerApp app, String path) throws Exception {
        int runs = 7;
        double[] firstByte = new double[runs];
        double[] whole = new double[runs];
        long size = 0;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(app.uri(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                int first = in.read();
                long t1 = System.nanoTime();
                byte[] rest = in.readAllBytes();
                long t2 = System.nanoTime();
                if (response.statusCode() != 200 || first < 0) {
                    throw new IllegalStateException(path + ": " + response.statusCode());
                }
                firstByte[r] = (t1 - t0) / 1e6;
                whole[r] = (t2 - t0) / 1e6;
                size = 1 + rest.length;
            }
        }
        // the first two are warm-ups
        double[] fb = Arrays.copyOfRange(firstByte, 2, runs);
        double[] all = Arrays.copyOfRange(whole, 2, runs);
        Arrays.sort(fb);
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "BENCH status-page %s: first byte %.0f ms (median of 5; first call %.0f ms),"
                + " whole page %.0f ms, %d bytes%n", path, fb[2], firstByte[0], all[2], size);
    }

    static String name(int i) {
        return String.format(Locale.ROOT, "app%02d", i);
    }
}
