package dev.scaler.status;

import dev.scaler.api.TargetView;
import dev.scaler.chart.Buckets;
import dev.scaler.chart.TimeChart;
import dev.scaler.history.ActionRecord;
import dev.scaler.history.DecisionRecord;
import dev.scaler.history.HistoryStore;
import dev.scaler.loop.LiveForecasts;
import dev.scaler.redaction.Redaction;
import dev.scaler.target.Target;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The status page's HTML, written on the server: no script, no external asset, one inline style allowed by its
 * hash in the page's Content-Security-Policy, and a {@code meta refresh} to follow the loop (no JavaScript needed
 * for that). Every text from the history or the configuration goes through {@link Redaction} and is escaped.
 */
final class StatusPage {

    static final String CSS = "body{font-family:sans-serif;margin:1.5em;color:#222}"
            + "table{border-collapse:collapse;margin:.5em 0 1.5em}"
            + "th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;font-size:.9em}"
            + "th{background:#f3f3f3}td.reason{max-width:40em}"
            + ".flag{display:inline-block;padding:0 .4em;border-radius:.3em;background:#ffe8cc;margin-right:.3em}"
            + ".error{color:#c92a2a}.muted{color:#777}nav a{margin-right:.8em}nav a.current{font-weight:bold}"
            + "svg{max-width:100%;height:auto;display:block;margin:.5em 0}"
            + ".SUCCEEDED{color:#2b8a3e}.FAILED,.TIMED_OUT,.INTERRUPTED,.UNREACHABLE{color:#c92a2a}"
            + ".DRY_RUN{color:#666}.RUNNING{color:#1c7ed6}";
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; style-src '" + sha256(CSS) + "';"
            + " img-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    static final String GREEN = "#2f9e44";
    static final String RED = "#e03131";
    static final String GREY = "#868e96";
    static final String BLUE = "#1c7ed6";
    private static final String[] HOST_COLORS = {"#1971c2", "#e8590c", "#2f9e44", "#9c36b5", "#f08c00", "#0c8599",
        "#c2255c", "#5c940d"};

    /** One target as the page shows it. */
    record Row(Target target, String kind, TargetView view, String stabilization) {
    }

    // for the history records and the messages the page shows itself: a TargetView comes redacted already
    // (TargetsController.view)
    private final Redaction redaction;
    private final Duration pollInterval;

    StatusPage(Redaction redaction, Duration pollInterval) {
        this.redaction = redaction;
        this.pollInterval = pollInterval;
    }

    String overview(List<Row> rows, Instant now) {
        return overview(rows, now, null);
    }

    /** @param leadership {@code Leadership.view()} with several instances (docs/ha.md); null when alone */
    String overview(List<Row> rows, Instant now, java.util.Map<String, Object> leadership) {
        StringBuilder h = head("Scaler status", now);
        h.append("<h1>Scaler</h1>\n<p class=\"muted\">").append(rows.size()).append(rows.size() == 1 ? " target" : " targets")
                .append(", as of ").append(time(now)).append(" (UTC). Read-only; the page reloads every ")
                .append(refreshSeconds()).append(" s.</p>\n");
        if (leadership != null) {
            Object leader = leadership.get("leader");
            Object since = leadership.get("since");
            h.append("<p id=\"leadership\">").append(leader == null ? "no leader right now"
                            : "leader: " + e(String.valueOf(leader)) + (leader.equals(leadership.get("instance"))
                            ? " (this instance)" : ", this instance (" + e(String.valueOf(leadership.get("instance")))
                            + ") stands by"))
                    .append(since == null ? "" : ", since " + e(String.valueOf(since)))
                    .append("; failovers: ").append(e(String.valueOf(leadership.get("failovers")))).append("</p>\n");
        }
        h.append("<table id=\"targets\">\n<tr><th>target</th><th>kind</th><th>running</th><th>decided</th>"
                + "<th>min-max</th><th>metric</th><th>last decision</th><th>cooldowns</th><th>stabilization</th>"
                + "<th>forecast</th><th>flags</th><th>policy</th></tr>\n");
        for (Row r : rows) {
            TargetView v = r.view();
            h.append("<tr class=\"target\" data-target=\"").append(e(v.name())).append("\"><td><a href=\"/targets/")
                    .append(e(v.name())).append("\">").append(e(v.name())).append("</a><br><span class=\"muted\">")
                    .append(e(service(r))).append("</span></td>");
            h.append("<td class=\"kind\">").append(r.kind()).append("</td>");
            h.append("<td class=\"running\">").append(count(v.observed())).append("</td>");
            h.append("<td class=\"decided\">").append(count(v.desired())).append("</td>");
            h.append("<td class=\"bounds\">").append(bounds(v)).append("</td>");
            h.append("<td class=\"metric\">").append(metric(v)).append("</td>");
            h.append("<td class=\"reason\">").append(lastDecision(v)).append("</td>");
            h.append("<td class=\"cooldowns\">").append(cooldowns(v)).append("</td>");
            h.append("<td class=\"stabilization\">").append(e(r.stabilization())).append("</td>");
            h.append("<td class=\"forecast\">").append(forecast(v)).append("</td>");
            h.append("<td class=\"flags\">").append(flags(v)).append("</td>");
            h.append("<td class=\"policy\">").append(policy(v)).append("</td></tr>\n");
        }
        h.append("</table>\n<p class=\"muted\">JSON: <a href=\"/api/targets\">/api/targets</a>, "
                + "<a href=\"/api/history\">/api/history</a>; health: <a href=\"/health\">/health</a>.</p>\n");
        return foot(h);
    }

    String target(Row r, HistoryStore.Window window, String windowName, Instant from, Instant now) {
        TargetView v = r.view();
        StringBuilder h = head("Scaler: " + v.name(), now);
        h.append("<p><a href=\"/\">all targets</a></p>\n<h1>").append(e(v.name())).append(" <span class=\"muted\">")
                .append(r.kind()).append(", ").append(e(service(r))).append("</span></h1>\n");
        h.append("<table id=\"summary\"><tr><th>running</th><th>decided</th><th>min-max</th><th>metric</th>"
                + "<th>last decision</th><th>cooldowns</th><th>stabilization</th><th>forecast</th><th>flags</th><th>policy</th>"
                + "</tr>\n");
        h.append("<tr><td class=\"running\">").append(count(v.observed())).append("</td><td class=\"decided\">")
                .append(count(v.desired())).append("</td><td>").append(bounds(v)).append("</td><td>").append(metric(v))
                .append("</td><td class=\"reason\">").append(lastDecision(v)).append("</td><td>").append(cooldowns(v))
                .append("</td><td>").append(e(r.stabilization())).append("</td><td class=\"forecast\">").append(forecast(v))
                .append("</td><td>").append(flags(v))
                .append("</td><td>").append(policy(v)).append("</td></tr>\n</table>\n");
        h.append("<nav>window: ");
        for (String w : StatusPageController.WINDOWS.keySet()) {
            h.append("<a href=\"/targets/").append(e(v.name())).append("?window=").append(w).append('"')
                    .append(w.equals(windowName) ? " class=\"current\"" : "").append('>').append(w).append("</a>");
        }
        h.append("</nav>\n");
        long start = from.toEpochMilli();
        long span = now.toEpochMilli() - start;
        int columns = columns(span);
        String timeLabel = "time (UTC); " + window.points().size() + " decisions, each point the maximum of its "
                + human(span / columns);
        double capacity = r.target().policy().capacityPerReplica();
        Buckets load = new Buckets(start, span, columns);
        Buckets supply = new Buckets(start, span, columns);
        Buckets running = new Buckets(start, span, columns);
        Buckets decided = new Buckets(start, span, columns);
        for (HistoryStore.Point p : window.points()) {
            if (p.metricValue() != null) {
                load.add(p.atMillis(), p.metricValue());
            }
            if (p.observed() != null) {
                running.add(p.atMillis(), p.observed());
                supply.add(p.atMillis(), p.observed() * capacity);
            }
            decided.add(p.atMillis(), p.decided());
        }
        TimeChart loadChart = new TimeChart("load and the capacity of the running replicas", start, span, "load",
                1 / capacity, "replicas' worth", timeLabel, "chart load")
                .series(new TimeChart.Series("load (metric value)", "#a5d8ff", TimeChart.Style.AREA, load.values()))
                .series(new TimeChart.Series("capacity (running x " + number(capacity) + ")", "#2f9e44",
                        TimeChart.Style.STEP, supply.values()));
        h.append("<h2>Load and capacity</h2>\n").append(loadChart.render());

        TimeChart replicas = new TimeChart("replicas running and decided; actions", start, span, "replicas", 0, null,
                timeLabel, "chart replicas")
                .series(new TimeChart.Series("running", "#2f9e44", TimeChart.Style.STEP, running.values()))
                .series(new TimeChart.Series("decided", "#e8590c", TimeChart.Style.DASHED_STEP, decided.values()));
        for (HistoryStore.HistoryEntry entry : window.acted()) {
            DecisionRecord d = entry.decision();
            String result = result(entry.actions());
            replicas.marker(new TimeChart.Marker(d.decidedAt().toEpochMilli(), d.finalReplicas(), color(result),
                    "marker marker-" + result.toLowerCase(Locale.ROOT).replace('_', '-'),
                    time(d.decidedAt()) + " " + from(entry) + " -> " + d.finalReplicas() + " " + result + ": "
                            + redaction.apply(d.reason())));
        }
        h.append("<h2>Replicas</h2>\n").append(replicas.render());
        h.append("<p class=\"muted\">markers: <span class=\"SUCCEEDED\">green succeeded</span>, "
                + "<span class=\"FAILED\">red failed, timed out, interrupted or unreachable</span>, "
                + "<span class=\"DRY_RUN\">grey dry run</span>, <span class=\"RUNNING\">blue running</span>; "
                + "hover one for its reason.</p>\n");
        if (r.target().isFleet()) {
            h.append("<h2>Replicas per host</h2>\n").append(hosts(window, start, span, columns, timeLabel));
        }
        h.append("<h2>Actions</h2>\n");
        if (window.acted().isEmpty()) {
            h.append("<p class=\"muted\">no action in this window.</p>\n");
        } else {
            h.append("<table id=\"actions\"><tr><th>decided at (UTC)</th><th>replicas</th><th>result</th>"
                    + "<th>took</th><th>tick</th><th>reason</th></tr>\n");
            for (int i = window.acted().size() - 1; i >= 0; i--) {
                HistoryStore.HistoryEntry entry = window.acted().get(i);
                DecisionRecord d = entry.decision();
                String result = result(entry.actions());
                long took = entry.actions().stream().mapToLong(ActionRecord::durationMillis).max().orElse(0);
                h.append("<tr class=\"action\"><td>").append(time(d.decidedAt())).append("</td><td>")
                        .append(from(entry)).append(" -&gt; ").append(d.finalReplicas()).append("</td><td class=\"")
                        .append(result).append("\">").append(results(entry.actions())).append("</td><td>")
                        .append(human(took)).append("</td><td>").append(e(d.tickId())).append("</td><td class=\"reason\">")
                        .append(e(redaction.apply(d.reason()))).append("</td></tr>\n");
            }
            h.append("</table>\n");
            if (window.acted().size() >= StatusPageController.MAX_ACTIONS) {
                h.append("<p class=\"muted\">the newest ").append(StatusPageController.MAX_ACTIONS)
                        .append(" actions of the window; /api/history has the rest.</p>\n");
            }
        }
        return foot(h);
    }

    String error(String message) {
        StringBuilder h = head("Scaler: error", null);
        h.append("<p><a href=\"/\">all targets</a></p>\n<p class=\"error\">").append(e(redaction.apply(message)))
                .append("</p>\n");
        return foot(h);
    }

    /** Each host's count as its actions set it, carried forward: what the history holds per host. */
    private String hosts(HistoryStore.Window window, long start, long span, int columns, String timeLabel) {
        Map<String, List<ActionRecord>> byHost = new TreeMap<>();
        for (HistoryStore.HistoryEntry entry : window.acted()) {
            for (ActionRecord a : entry.actions()) {
                if (a.host() != null) {
                    byHost.computeIfAbsent(a.host(), k -> new ArrayList<>()).add(a);
                }
            }
        }
        if (byHost.isEmpty()) {
            return "<p class=\"muted\">no host's count in this window: the history holds a host's count when an"
                    + " action changes it.</p>\n";
        }
        TimeChart chart = new TimeChart("replicas per host (as set by each action)", start, span, "replicas", 0, null,
                timeLabel, "chart hosts");
        int i = 0;
        for (Map.Entry<String, List<ActionRecord>> host : byHost.entrySet()) {
            double[] values = new double[columns];
            java.util.Arrays.fill(values, Double.NaN);
            Buckets where = new Buckets(start, span, columns);
            double current = Double.NaN;
            int column = 0;
            for (ActionRecord a : host.getValue()) {
                int c = Math.max(0, where.column(a.endedAt().toEpochMilli()));
                for (; column < c; column++) {
                    values[column] = current;
                }
                current = a.result().equals("SUCCEEDED") || a.result().equals("DRY_RUN") ? a.toReplicas() : current;
            }
            for (; column < columns; column++) {
                values[column] = current;
            }
            chart.series(new TimeChart.Series(host.getKey(), HOST_COLORS[i++ % HOST_COLORS.length], TimeChart.Style.STEP,
                    values));
        }
        return chart.render();
    }

    /** Enough columns to show each tick of a short window, never more than {@link TimeChart#COLUMNS}. */
    private int columns(long span) {
        // two polls per column: a column between two ticks would otherwise be empty and break the line
        long perColumn = Math.max(1, 2 * pollInterval.toMillis());
        return (int) Math.max(1, Math.min(TimeChart.COLUMNS, span / perColumn));
    }

    private static String from(HistoryStore.HistoryEntry entry) {
        List<ActionRecord> actions = entry.actions();
        if (actions.isEmpty() || actions.get(0).host() != null) {
            Integer observed = entry.decision().observed();
            return observed == null ? "?" : observed.toString();
        }
        return Integer.toString(actions.get(0).fromReplicas());
    }

    /** The worst result of a decision's actions: any failure makes the marker red. */
    static String result(List<ActionRecord> actions) {
        String worst = null;
        for (ActionRecord a : actions) {
            String r = a.result();
            if (isFailure(r)) {
                return r;
            }
            if (worst == null || r.equals(ActionRecord.RUNNING) || worst.equals("SUCCEEDED") && r.equals("DRY_RUN")) {
                worst = r;
            }
        }
        return worst == null ? "SUCCEEDED" : worst;
    }

    private static boolean isFailure(String result) {
        return switch (result) {
            case "FAILED", "TIMED_OUT", "INTERRUPTED", "UNREACHABLE" -> true;
            default -> false;
        };
    }

    static String color(String result) {
        if (isFailure(result)) {
            return RED;
        }
        return switch (result) {
            case "DRY_RUN" -> GREY;
            case ActionRecord.RUNNING -> BLUE;
            default -> GREEN;
        };
    }

    private String results(List<ActionRecord> actions) {
        StringBuilder s = new StringBuilder();
        for (ActionRecord a : actions) {
            if (!s.isEmpty()) {
                s.append("<br>");
            }
            if (a.host() != null) {
                s.append(e(a.host())).append(": ").append(a.fromReplicas()).append(" -&gt; ").append(a.toReplicas())
                        .append(' ');
            }
            s.append(e(a.result()));
            if (a.exitCode() != null && a.exitCode() != 0) {
                s.append(" (exit ").append(a.exitCode()).append(')');
            }
        }
        return s.toString();
    }

    private StringBuilder head(String title, Instant now) {
        StringBuilder h = new StringBuilder(256 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(e(title))
                .append("</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        if (now != null) {
            h.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds()).append("\">\n");
        }
        return h.append("<style>").append(CSS).append("</style>\n</head><body>\n");
    }

    private static String foot(StringBuilder h) {
        return h.append("</body></html>\n").toString();
    }

    /** The poll interval, within 5 s to 60 s: the page changes when the loop ticks. */
    private long refreshSeconds() {
        return Math.max(5, Math.min(60, pollInterval.toSeconds()));
    }

    private String service(Row r) {
        Target t = r.target();
        if (t.isFleet()) {
            return "group " + t.fleet().group();
        }
        if (t.isSwarm()) {
            return "service " + t.swarm().name();
        }
        return "service " + t.compose().service() + " of project " + t.compose().projectName();
    }

    private static String count(Integer n) {
        return n == null ? "<span class=\"muted\">-</span>" : n.toString();
    }

    private String bounds(TargetView v) {
        int min = v.effectiveMinReplicas() == null ? v.minReplicas() : v.effectiveMinReplicas();
        int max = v.effectiveMaxReplicas() == null ? v.maxReplicas() : v.effectiveMaxReplicas();
        StringBuilder s = new StringBuilder().append(min).append('-').append(max);
        for (String o : v.labelOverrides()) {
            s.append("<br><span class=\"muted\">").append(e(o)).append("</span>");
        }
        for (String p : v.labelProblems()) {
            s.append("<br><span class=\"error\">").append(e(p)).append("</span>");
        }
        return s.toString();
    }

    private String metric(TargetView v) {
        if (v.metricState() == null) {
            return "<span class=\"muted\">not read yet</span>";
        }
        StringBuilder s = new StringBuilder().append(e(v.metricState()));
        if (v.metricValue() != null) {
            s.append(' ').append(number(v.metricValue()));
        }
        if (v.metricDetail() != null && !v.metricDetail().isBlank()) {
            s.append("<br><span class=\"muted\">").append(e(v.metricDetail())).append("</span>");
        }
        return s.toString();
    }

    private String lastDecision(TargetView v) {
        if (v.lastOutcome() == null) {
            return "<span class=\"muted\">none yet</span>";
        }
        StringBuilder s = new StringBuilder().append("<b>").append(e(v.lastOutcome())).append("</b> ")
                .append(time(v.lastEvaluatedAt()));
        if (v.lastActionResult() != null) {
            s.append(" <span class=\"").append(e(v.lastActionResult())).append("\">").append(e(v.lastActionResult()))
                    .append("</span>");
        }
        return s.append("<br>").append(e(v.lastReason())).toString();
    }

    private static String cooldowns(TargetView v) {
        return "up " + v.scaleUpCooldownRemainingSeconds() + " s<br>down " + v.scaleDownCooldownRemainingSeconds() + " s";
    }

    /**
     * The forecast at the last evaluation (docs/forecast.md): the highest load expected within the horizon, or why
     * the decision could not use it. The history keeps each forecast in its decision's reason, not as a number, so
     * the page shows the current one rather than a series over time.
     */
    private String forecast(TargetView v) {
        LiveForecasts.View f = v.forecast();
        if (f == null) {
            return "<span class=\"muted\">off</span>";
        }
        StringBuilder s = new StringBuilder().append(e(f.mode())).append("<br>");
        if (f.used() && f.value() != null) {
            s.append(number(f.value())).append(" within ").append(f.horizonSeconds()).append(" s (").append(e(f.method()))
                    .append(')');
            if (f.recentError() != null) {
                s.append("<br><span class=\"muted\">recent error ").append(number(f.recentError() * 100)).append(" %</span>");
            }
        } else {
            s.append("<span class=\"muted\">not used: ").append(e(f.notUsed())).append("</span>");
        }
        return s.toString();
    }

    private String flags(TargetView v) {
        StringBuilder s = new StringBuilder();
        if (v.paused()) {
            s.append("<span class=\"flag paused\">paused</span> ").append(e(v.pausedReason()));
        }
        if (v.dryRun()) {
            s.append("<span class=\"flag dry-run\">dry run</span>");
        }
        return s.isEmpty() ? "<span class=\"muted\">-</span>" : s.toString();
    }

    private String policy(TargetView v) {
        StringBuilder s = new StringBuilder().append(e(v.policySource()));
        if (v.policyError() != null) {
            s.append("<br><span class=\"error\">newest version rejected: ").append(e(v.policyError()))
                    .append("</span>");
        } else if (v.policySource() != null && !v.policySource().equals("scaler.targets")) {
            s.append("<br><span class=\"muted\">loaded</span>");
        }
        return s.toString();
    }

    private static String time(Instant at) {
        return at == null ? "-" : at.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ').replace("Z", "");
    }

    static String human(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        long s = millis / 1000;
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return (s / 60) + " min";
        }
        return (s / 3600) + " h";
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String e(String s) {
        return TimeChart.escape(s);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
