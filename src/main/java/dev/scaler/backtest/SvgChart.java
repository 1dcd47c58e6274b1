package dev.scaler.backtest;

import dev.scaler.decision.Decimals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Draws load, demand and supply over time as an SVG a browser opens. Written by hand: three lines
 * and two axes need no library. Long replays are cut into at most {@link #COLUMNS} buckets and each
 * bucket shows its maximum, so peaks (where under-provisioning happens) stay visible and the file stays
 * small. Load is drawn in replicas' worth (load / capacity per replica), so all three share the left
 * axis; the right axis gives the same scale in load units.
 */
public final class SvgChart {

    static final int COLUMNS = 1000;
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 440;
    private static final int LEFT = 70;
    private static final int RIGHT = 90;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long[] TICKS = {1000, 5000, 15_000, MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR,
        12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY};
    private static final DateTimeFormatter DAY_ONLY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private SvgChart() {
    }

    public static String render(ReplayResult r, double capacityPerReplica, String title) {
        int n = r.steps();
        int columns = Math.min(COLUMNS, n);
        double[] load = new double[columns];
        double[] demand = new double[columns];
        double[] supply = new double[columns];
        for (int c = 0; c < columns; c++) {
            int from = (int) ((long) c * n / columns);
            int to = (int) ((long) (c + 1) * n / columns);
            double l = 0;
            int d = 0;
            int s = 0;
            for (int i = from; i < to; i++) {
                if (!Double.isNaN(r.load()[i])) {
                    l = Math.max(l, r.load()[i] / capacityPerReplica);
                }
                d = Math.max(d, r.demand()[i]);
                s = Math.max(s, r.supply()[i]);
            }
            load[c] = l;
            demand[c] = d;
            supply[c] = s;
        }
        double top = 1;
        for (int c = 0; c < columns; c++) {
            top = Math.max(top, Math.max(load[c], Math.max(demand[c], supply[c])));
        }
        top *= 1.04; // so a line at the maximum is not hidden by the frame
        double yStep = niceStep(top / 5);
        double yMax = Math.ceil(top / yStep) * yStep;
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double colW = plotW / columns;

        StringBuilder svg = new StringBuilder(64 * 1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
                .append("<text x=\"").append(LEFT).append("\" y=\"22\" font-size=\"15\" font-weight=\"bold\">")
                .append(escape(title)).append("</text>\n");
        // horizontal grid and both y axes
        for (double y = 0; y <= yMax + 1e-9; y += yStep) {
            double py = TOP + plotH - y / yMax * plotH;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, LEFT + plotW, py, py));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, py + 4, number(y)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#777\">%s</text>%n",
                    LEFT + plotW + 6, py + 4, number(y * capacityPerReplica)));
        }
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %.1f) rotate(-90)\" text-anchor=\"middle\">"
                + "replicas</text>%n", TOP + plotH / 2));
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(%d %.1f) rotate(90)\" text-anchor=\"middle\""
                + " fill=\"#777\">load (per second)</text>%n", WIDTH - 14, TOP + plotH / 2));
        // time axis: labels on round UTC times (whole hours, days, ...), at most eight
        long spanMillis = r.interval().toMillis() * n;
        long startMillis = r.start().toEpochMilli();
        long tick = tickMillis(spanMillis);
        for (long at = Math.floorDiv(startMillis + tick - 1, tick) * tick; at <= startMillis + spanMillis; at += tick) {
            double px = LEFT + plotW * (at - startMillis) / spanMillis;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    px, px, TOP, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                    px, TOP + plotH + 18, (tick >= DAY ? DAY_ONLY : DAY_TIME).format(Instant.ofEpochMilli(at))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">time (UTC)%s</text>%n",
                LEFT + plotW / 2, HEIGHT - 12, columns < n ? "; each point is the maximum of up to "
                        + ((n + columns - 1) / columns) + " steps" : ""));
        // load as a filled area, then demand and supply as step lines on top
        StringBuilder area = new StringBuilder();
        area.append(String.format(Locale.ROOT, "M%.1f %.1f", (double) LEFT, TOP + plotH));
        for (int c = 0; c < columns; c++) {
            double py = TOP + plotH - load[c] / yMax * plotH;
            area.append('L');
            Decimals.appendFixed(area, LEFT + c * colW, 1);
            area.append(' ');
            Decimals.appendFixed(area, py, 1);
            area.append('L');
            Decimals.appendFixed(area, LEFT + (c + 1) * colW, 1);
            area.append(' ');
            Decimals.appendFixed(area, py, 1);
        }
        area.append(String.format(Locale.ROOT, "L%.1f %.1fZ", LEFT + plotW, TOP + plotH));
        svg.append("<path d=\"").append(area).append("\" fill=\"#cfe3f7\" stroke=\"none\"/>\n");
        svg.append("<path d=\"").append(steps(demand, yMax, colW, plotH))
                .append("\" fill=\"none\" stroke=\"#e8590c\" stroke-width=\"1.5\"/>\n");
        svg.append("<path d=\"").append(steps(supply, yMax, colW, plotH))
                .append("\" fill=\"none\" stroke=\"#1b6e1b\" stroke-width=\"1.5\"/>\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\""
                + " stroke=\"#888\"/>%n", LEFT, TOP, plotW, plotH));
        legend(svg, LEFT + 340, "#cfe3f7", "load / capacity per replica", 8);
        legend(svg, LEFT + 560, "#e8590c", "demand", 3);
        legend(svg, LEFT + 660, "#1b6e1b", "supply (serving replicas)", 3);
        return svg.append("</svg>\n").toString();
    }

    /** The smallest round interval that gives at most eight labels over {@code spanMillis}. */
    static long tickMillis(long spanMillis) {
        for (long candidate : TICKS) {
            if (spanMillis / candidate <= 8) {
                return candidate;
            }
        }
        return Math.max(DAY, spanMillis / 8 / DAY * DAY);
    }

    private static StringBuilder steps(double[] values, double yMax, double colW, double plotH) {
        StringBuilder d = new StringBuilder();
        // not String.format: 1,000 columns of two numbers each (Decimals)
        for (int c = 0; c < values.length; c++) {
            double py = TOP + plotH - values[c] / yMax * plotH;
            if (c == 0) {
                d.append('M');
                Decimals.appendFixed(d, LEFT, 1);
                d.append(' ');
            } else {
                d.append('V');
            }
            Decimals.appendFixed(d, py, 1);
            d.append('H');
            Decimals.appendFixed(d, LEFT + (c + 1) * colW, 1);
        }
        return d;
    }

    private static void legend(StringBuilder svg, int x, String color, String label, int thickness) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"18\" height=\"%d\" fill=\"%s\"/>%n",
                x, 34 - thickness / 2, thickness, color));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"38\">%s</text>%n", x + 24, escape(label)));
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= raw) {
                return Math.max(m * magnitude, 1);
            }
        }
        return 10 * magnitude;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
