package dev.scaler.backtest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The backtest's output: a side-by-side table of scores (Markdown, so it reads in a terminal and pastes
 * into docs), and per policy a CSV of every step, a CSV of its scale actions with the decider's reasons,
 * and an SVG chart.
 */
public final class Report {

    private Report() {
    }

    /** One row per policy; the columns are explained under the table in docs/BACKTEST.md. */
    public static String table(List<ReplayResult.Score> scores) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"policy", "under acc. theta_U %", "over acc. theta_O %", "under time tau_U %",
                "over time tau_O %", "instability %", "jitter /h", "replica-hours", "scale actions (up/down)"});
        for (ReplayResult.Score s : scores) {
            ElasticityMetrics m = s.metrics();
            rows.add(new String[] {s.policy(), f2(m.underAccuracy()), f2(m.overAccuracy()), f2(m.underTimeShare()),
                    f2(m.overTimeShare()), f2(m.instability()), f2(m.jitterPerHour()),
                    String.format(Locale.ROOT, "%.1f", s.replicaHours()),
                    s.scaleActions() + " (" + s.scaleUps() + "/" + s.scaleDowns() + ")"});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            line(out, rows.get(r), width, false);
            if (r == 0) {
                line(out, rows.get(r), width, true);
            }
        }
        return out.toString();
    }

    public static String scoresCsv(List<ReplayResult.Score> scores) {
        StringBuilder out = new StringBuilder("policy,theta_u_percent,theta_o_percent,tau_u_percent,tau_o_percent,"
                + "instability_percent,jitter_per_hour,replica_hours,scale_actions,scale_ups,scale_downs\n");
        for (ReplayResult.Score s : scores) {
            ElasticityMetrics m = s.metrics();
            out.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%d,%d%n", csv(s.policy()),
                    m.underAccuracy(), m.overAccuracy(), m.underTimeShare(), m.overTimeShare(), m.instability(),
                    m.jitterPerHour(), s.replicaHours(), s.scaleActions(), s.scaleUps(), s.scaleDowns()));
        }
        return out.toString();
    }

    /** Writes {@code NAME.csv}, {@code NAME-actions.csv} and {@code NAME.svg}; returns the files written. */
    public static List<Path> writePolicyFiles(Path dir, ReplayResult r, double capacityPerReplica, String traceName)
            throws IOException {
        String base = fileName(r.policy());
        Path steps = dir.resolve(base + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(steps, StandardCharsets.UTF_8)) {
            w.write("time,load,demand,supply,running\n");
            StringBuilder line = new StringBuilder(64);
            Text.Times times = new Text.Times();
            // whole milliseconds in practice (trace steps, Prometheus seconds): no Instant per line then
            boolean millis = r.start().getNano() % 1_000_000 == 0 && r.interval().getNano() % 1_000_000 == 0
                    && Math.abs(r.start().getEpochSecond()) < 1L << 40;
            long startMillis = millis ? r.start().toEpochMilli() : 0;
            long intervalMillis = r.interval().toMillis();
            for (int i = 0; i < r.steps(); i++) {
                line.setLength(0);
                if (millis) {
                    times.append(line, startMillis + i * intervalMillis);
                } else {
                    times.append(line, r.at(i));
                }
                line.append(',');
                double l = r.load()[i];
                if (!Double.isNaN(l)) {
                    Text.appendPlain(line, l);
                }
                line.append(',').append(r.demand()[i]).append(',').append(r.supply()[i]).append(',')
                        .append(r.running()[i]).append('\n');
                w.append(line);
            }
        }
        Path actions = dir.resolve(base + "-actions.csv");
        try (BufferedWriter w = Files.newBufferedWriter(actions, StandardCharsets.UTF_8)) {
            w.write("time,from,to,reason\n");
            for (Replay.ScaleAction a : r.actions()) {
                w.write(a.at() + "," + a.from() + "," + a.to() + "," + csv(a.reason()) + "\n");
            }
        }
        Path chart = dir.resolve(base + ".svg");
        Files.writeString(chart, SvgChart.render(r, capacityPerReplica, "Backtest of policy " + r.policy() + " on "
                + traceName), StandardCharsets.UTF_8);
        return List.of(steps, actions, chart);
    }

    static String fileName(String policy) {
        return policy.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static void line(StringBuilder out, String[] row, int[] width, boolean rule) {
        out.append('|');
        for (int c = 0; c < row.length; c++) {
            if (rule) {
                out.append(c == 0 ? ":" : "-").append("-".repeat(width[c])).append(c == 0 ? "-|" : ":|");
            } else {
                String cell = row[c];
                String pad = " ".repeat(width[c] - cell.length());
                out.append(' ').append(c == 0 ? cell + pad : pad + cell).append(" |");
            }
        }
        out.append('\n');
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
