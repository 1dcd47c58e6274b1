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
        boolean forecasts = scores.stream().anyMatch(s -> !Double.isNaN(s.forecastError()));
        List<String> head = new ArrayList<>(List.of("policy", "under acc. theta_U %", "over acc. theta_O %",
                "under time tau_U %", "over time tau_O %", "instability %", "jitter /h", "replica-hours",
                "scale actions (up/down)"));
        if (forecasts) {
            // only when a policy forecasts, so the reactive example's table stays as it was
            head.add("forecast error %");
            head.add("forecast used %");
        }
        rows.add(head.toArray(String[]::new));
        for (ReplayResult.Score s : scores) {
            ElasticityMetrics m = s.metrics();
            List<String> row = new ArrayList<>(List.of(s.policy(), f2(m.underAccuracy()), f2(m.overAccuracy()),
                    f2(m.underTimeShare()), f2(m.overTimeShare()), f2(m.instability()), f2(m.jitterPerHour()),
                    String.format(Locale.ROOT, "%.1f", s.replicaHours()),
                    s.scaleActions() + " (" + s.scaleUps() + "/" + s.scaleDowns() + ")"));
            if (forecasts) {
                row.add(Double.isNaN(s.forecastError()) ? "" : f2(s.forecastError()));
                row.add(Double.isNaN(s.forecastError()) ? "" : String.format(Locale.ROOT, "%.1f", s.forecastCoverage()));
            }
            rows.add(row.toArray(String[]::new));
        }
        return markdown(rows);
    }

    /** The full UTC days of each result: {@code [first step, end step)} index pairs, the same for all. */
    static List<int[]> fullDays(ReplayResult r) {
        List<int[]> days = new ArrayList<>();
        long interval = r.interval().toMillis();
        long day = 86_400_000L;
        if (day % interval != 0) {
            return days;
        }
        int per = (int) (day / interval);
        long start = r.start().toEpochMilli();
        int first = (int) (Math.floorMod(-start, day) / interval);
        if (Math.floorMod(-start, day) % interval != 0) {
            return days;
        }
        for (int i = first; i + per <= r.steps(); i += per) {
            days.add(new int[] {i, i + per});
        }
        return days;
    }

    /**
     * Every full UTC day, each scored on its own: theta_U, replica-hours and scale actions per policy, and the
     * forecast's error for a forecasting policy; then the mean and worst theta_U and the totals.
     */
    public static String perDay(List<ReplayResult> results) {
        List<String[]> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("day"));
        for (ReplayResult r : results) {
            head.add(r.policy() + " theta_U %");
            head.add(r.policy() + " replica-h");
            head.add(r.policy() + " actions");
            if (forecasts(r)) {
                head.add(r.policy() + " forecast error %");
            }
        }
        rows.add(head.toArray(String[]::new));
        List<int[]> days = fullDays(results.get(0));
        int k = results.size();
        double[] sumU = new double[k];
        double[] maxU = new double[k];
        double[] hours = new double[k];
        int[] acts = new int[k];
        for (int[] d : days) {
            List<String> row = new ArrayList<>();
            row.add(results.get(0).at(d[0]).toString().substring(0, 10));
            for (int p = 0; p < k; p++) {
                ReplayResult day = results.get(p).slice(d[0], d[1]);
                ReplayResult.Score s = day.score();
                double u = s.metrics().underAccuracy();
                sumU[p] += u;
                maxU[p] = Math.max(maxU[p], u);
                hours[p] += s.replicaHours();
                acts[p] += s.scaleActions();
                row.add(f2(u));
                row.add(String.format(Locale.ROOT, "%.1f", s.replicaHours()));
                row.add(Integer.toString(s.scaleActions()));
                if (forecasts(results.get(p))) {
                    row.add(f2(day.forecastErrorPercent()));
                }
            }
            rows.add(row.toArray(String[]::new));
        }
        if (!days.isEmpty()) {
            List<String> mean = new ArrayList<>(List.of("mean (" + days.size() + " days)"));
            List<String> worst = new ArrayList<>(List.of("worst day / total"));
            for (int p = 0; p < k; p++) {
                mean.add(f2(sumU[p] / days.size()));
                mean.add(String.format(Locale.ROOT, "%.1f", hours[p] / days.size()));
                mean.add(String.format(Locale.ROOT, "%.1f", (double) acts[p] / days.size()));
                worst.add(f2(maxU[p]));
                worst.add(String.format(Locale.ROOT, "%.1f", hours[p]));
                worst.add(Integer.toString(acts[p]));
                if (forecasts(results.get(p))) {
                    ReplayResult all = results.get(p).slice(days.get(0)[0], days.get(days.size() - 1)[1]);
                    mean.add(f2(all.forecastErrorPercent()));
                    worst.add("");
                }
            }
            rows.add(mean.toArray(String[]::new));
            rows.add(worst.toArray(String[]::new));
        }
        return markdown(rows);
    }

    public static String perDayCsv(List<ReplayResult> results) {
        StringBuilder out = new StringBuilder("day,policy,theta_u_percent,replica_hours,scale_actions,"
                + "forecast_error_percent,forecast_coverage_percent\n");
        for (int[] d : fullDays(results.get(0))) {
            for (ReplayResult r : results) {
                ReplayResult day = r.slice(d[0], d[1]);
                ReplayResult.Score s = day.score();
                out.append(String.format(Locale.ROOT, "%s,%s,%.4f,%.4f,%d,%.4f,%.2f%n",
                        r.at(d[0]).toString().substring(0, 10), csv(r.policy()), s.metrics().underAccuracy(),
                        s.replicaHours(), s.scaleActions(), day.forecastErrorPercent(), day.forecastCoveragePercent()));
            }
        }
        return out.toString();
    }

    private static boolean forecasts(ReplayResult r) {
        for (double f : r.forecast()) {
            if (!Double.isNaN(f)) {
                return true;
            }
        }
        return false;
    }

    private static String markdown(List<String[]> rows) {
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
            boolean forecasts = forecasts(r);
            w.write(forecasts ? "time,load,demand,supply,running,forecast,forecast_for\n" : "time,load,demand,supply,running\n");
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
                        .append(r.running()[i]);
                if (forecasts) {
                    line.append(',');
                    if (!Double.isNaN(r.forecast()[i])) {
                        Text.appendPlain(line, r.forecast()[i]);
                    }
                    line.append(',');
                    if (!Double.isNaN(r.forecastFor()[i])) {
                        Text.appendPlain(line, r.forecastFor()[i]);
                    }
                }
                line.append('\n');
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
