package dev.scaler.backtest;

import dev.scaler.chart.TimeChart;

/**
 * Draws load, demand and supply over time as an SVG a browser opens, with the chart component the status page
 * uses too ({@link TimeChart}). Long replays are cut into at most {@link #COLUMNS} buckets of steps and each
 * bucket shows its maximum, so peaks (where under-provisioning happens) stay visible and the file stays
 * small. Load is drawn in replicas' worth (load / capacity per replica), so all three share the left
 * axis; the right axis gives the same scale in load units.
 */
public final class SvgChart {

    static final int COLUMNS = TimeChart.COLUMNS;
    private static final int LEFT = 70;

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
        long spanMillis = r.interval().toMillis() * n;
        String timeLabel = "time (UTC)" + (columns < n ? "; each point is the maximum of up to "
                + ((n + columns - 1) / columns) + " steps" : "");
        return new TimeChart(title, r.start().toEpochMilli(), spanMillis, "replicas", capacityPerReplica,
                "load (per second)", timeLabel, null)
                .series(new TimeChart.Series("load / capacity per replica", "#cfe3f7", TimeChart.Style.AREA, load,
                        LEFT + 340))
                .series(new TimeChart.Series("demand", "#e8590c", TimeChart.Style.STEP, demand, LEFT + 560))
                .series(new TimeChart.Series("supply (serving replicas)", "#1b6e1b", TimeChart.Style.STEP, supply,
                        LEFT + 660))
                .render();
    }
}
