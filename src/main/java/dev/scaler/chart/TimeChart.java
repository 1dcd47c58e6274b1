package dev.scaler.chart;

import dev.scaler.decision.Decimals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One SVG time chart, written by hand (a few lines and two axes need no library), shared by the backtest's
 * report and the status page. The caller gives columns already reduced to at most {@link #COLUMNS} (each the
 * maximum of its bucket, so peaks stay visible: {@link Buckets}); a column that is {@code NaN} has no data and
 * breaks the line. Values are drawn on the left axis; a right axis may give the same scale in other units.
 * Markers are circles with an SVG {@code <title>}, which browsers show on hover.
 */
public final class TimeChart {

    /** Most columns a chart draws: more than the pixels of its plot would not show more. */
    public static final int COLUMNS = 1000;
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

    /** How a series is drawn. */
    public enum Style { AREA, STEP, DASHED_STEP }

    /**
     * One series, one value per column.
     *
     * @param legendX where its legend entry starts, or 0 to place it after the previous one
     */
    public record Series(String label, String color, Style style, double[] values, int legendX) {
        public Series(String label, String color, Style style, double[] values) {
            this(label, color, style, values, 0);
        }
    }

    /** A point in time marked on the chart, at height {@code y} of the left axis; {@code title} is shown on hover. */
    public record Marker(long atMillis, double y, String color, String cssClass, String title) {
    }

    private final String title;
    private final long startMillis;
    private final long spanMillis;
    private final String leftLabel;
    private final double rightFactor;
    private final String rightLabel;
    private final String timeLabel;
    private final String cssClass;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    /**
     * @param rightFactor a left-axis value times this is the right axis' value; 0 for no right axis
     * @param timeLabel   the text under the time axis
     * @param cssClass    the root element's class, or null
     */
    public TimeChart(String title, long startMillis, long spanMillis, String leftLabel, double rightFactor,
                     String rightLabel, String timeLabel, String cssClass) {
        this.title = title;
        this.startMillis = startMillis;
        this.spanMillis = Math.max(1, spanMillis);
        this.leftLabel = leftLabel;
        this.rightFactor = rightFactor;
        this.rightLabel = rightLabel;
        this.timeLabel = timeLabel;
        this.cssClass = cssClass;
    }

    public TimeChart series(Series s) {
        series.add(s);
        return this;
    }

    public TimeChart marker(Marker m) {
        markers.add(m);
        return this;
    }

    public String render() {
        double top = 1;
        for (Series s : series) {
            for (double v : s.values()) {
                if (!Double.isNaN(v)) {
                    top = Math.max(top, v);
                }
            }
        }
        for (Marker m : markers) {
            top = Math.max(top, m.y());
        }
        top *= 1.04; // so a line at the maximum is not hidden by the frame
        double yStep = niceStep(top / 5);
        double yMax = Math.ceil(top / yStep) * yStep;
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;

        StringBuilder svg = new StringBuilder(64 * 1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" ");
        if (cssClass != null) {
            svg.append("class=\"").append(escape(cssClass)).append("\" ");
        }
        svg.append("width=\"").append(WIDTH).append("\" height=\"")
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
            if (rightFactor > 0) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#777\">%s</text>%n",
                        LEFT + plotW + 6, py + 4, number(y * rightFactor)));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %.1f) rotate(-90)\" text-anchor=\"middle\">"
                + "%s</text>%n", TOP + plotH / 2, escape(leftLabel)));
        if (rightFactor > 0) {
            svg.append(String.format(Locale.ROOT, "<text transform=\"translate(%d %.1f) rotate(90)\" text-anchor=\"middle\""
                    + " fill=\"#777\">%s</text>%n", WIDTH - 14, TOP + plotH / 2, escape(rightLabel)));
        }
        // time axis: labels on round UTC times (whole hours, days, ...), at most eight
        long tick = tickMillis(spanMillis);
        for (long at = Math.floorDiv(startMillis + tick - 1, tick) * tick; at <= startMillis + spanMillis; at += tick) {
            double px = LEFT + plotW * (at - startMillis) / spanMillis;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    px, px, TOP, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                    px, TOP + plotH + 18, (tick >= DAY ? DAY_ONLY : DAY_TIME).format(Instant.ofEpochMilli(at))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + plotW / 2, HEIGHT - 12, escape(timeLabel)));
        for (Series s : series) {
            double colW = plotW / Math.max(1, s.values().length);
            switch (s.style()) {
                case AREA -> svg.append("<path d=\"").append(area(s.values(), yMax, colW, plotH))
                        .append("\" fill=\"").append(s.color()).append("\" stroke=\"none\"/>\n");
                case STEP, DASHED_STEP -> svg.append("<path d=\"").append(steps(s.values(), yMax, colW, plotH))
                        .append("\" fill=\"none\" stroke=\"").append(s.color()).append("\" stroke-width=\"1.5\"")
                        .append(s.style() == Style.DASHED_STEP ? " stroke-dasharray=\"6 4\"" : "").append("/>\n");
                default -> throw new IllegalStateException(s.style().name());
            }
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\""
                + " stroke=\"#888\"/>%n", LEFT, TOP, plotW, plotH));
        for (Marker m : markers) {
            double px = LEFT + plotW * (m.atMillis() - startMillis) / spanMillis;
            double py = TOP + plotH - m.y() / yMax * plotH;
            svg.append("<circle class=\"").append(escape(m.cssClass())).append("\" cx=\"");
            Decimals.appendFixed(svg, px, 1);
            svg.append("\" cy=\"");
            Decimals.appendFixed(svg, py, 1);
            svg.append("\" r=\"5\" fill=\"").append(m.color()).append("\" stroke=\"#333\"><title>")
                    .append(escape(m.title())).append("</title></circle>\n");
        }
        int x = LEFT + 340;
        for (Series s : series) {
            if (s.label() == null) {
                continue;
            }
            x = s.legendX() > 0 ? s.legendX() : x;
            legend(svg, x, s.color(), s.label(), s.style() == Style.AREA ? 8 : 3);
            x += 24 + 7 * s.label().length() + 16;
        }
        return svg.append("</svg>\n").toString();
    }

    /** The smallest round interval that gives at most eight labels over {@code spanMillis}. */
    public static long tickMillis(long spanMillis) {
        for (long candidate : TICKS) {
            if (spanMillis / candidate <= 8) {
                return candidate;
            }
        }
        return Math.max(DAY, spanMillis / 8 / DAY * DAY);
    }

    /** A filled area under the columns; a column without data ({@code NaN}) is drawn at 0. */
    private static StringBuilder area(double[] values, double yMax, double colW, double plotH) {
        StringBuilder area = new StringBuilder();
        area.append(String.format(Locale.ROOT, "M%.1f %.1f", (double) LEFT, TOP + plotH));
        for (int c = 0; c < values.length; c++) {
            double v = Double.isNaN(values[c]) ? 0 : values[c];
            double py = TOP + plotH - v / yMax * plotH;
            area.append('L');
            Decimals.appendFixed(area, LEFT + c * colW, 1);
            area.append(' ');
            Decimals.appendFixed(area, py, 1);
            area.append('L');
            Decimals.appendFixed(area, LEFT + (c + 1) * colW, 1);
            area.append(' ');
            Decimals.appendFixed(area, py, 1);
        }
        area.append(String.format(Locale.ROOT, "L%.1f %.1fZ", LEFT + values.length * colW, TOP + plotH));
        return area;
    }

    private static StringBuilder steps(double[] values, double yMax, double colW, double plotH) {
        StringBuilder d = new StringBuilder();
        // not String.format: 1,000 columns of two numbers each (Decimals)
        boolean drawing = false;
        for (int c = 0; c < values.length; c++) {
            if (Double.isNaN(values[c])) {
                drawing = false;
                continue;
            }
            double py = TOP + plotH - values[c] / yMax * plotH;
            if (!drawing) {
                d.append('M');
                Decimals.appendFixed(d, LEFT + c * colW, 1);
                d.append(' ');
                drawing = true;
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
    public static double niceStep(double raw) {
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

    /** Text for SVG or HTML content and attribute values. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (r != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (r != null) {
                    out.append(r);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
