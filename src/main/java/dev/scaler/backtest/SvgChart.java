package dev.scaler.backtest;

import dev.scaler.chart.TimeChart;

/**
 * Draws load, demand and supply over time as an SVG a browser opens, with the chart component the status page
 * uses too ({@link TimeChart}). Long replays are cut into at most {@link #COLUMNS} buckets of steps and each
 * bucket shows its maximum, so peaks (where under-provisioning happens) stay visible and the file stays
 * small. Load is drawn in replicas' worth (load / capacity per replica), so all three share the left
 * axis; the right axis gives the same scale in load units. A forecasting policy's forecast is drawn dashed.
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
        double[] forecast = new double[columns];
        boolean forecasts = false;
        for (int c = 0; c < columns; c++) {
            int from = (int) ((long) c * n / columns);
            int to = (int) ((long) (c + 1) * n / columns);
            double l = 0;
            int d = 0;
            int s = 0;
            double f = Double.NaN;
            for (int i = from; i < to; i++) {
                double fi = r.forecast()[i];
                if (!Double.isNaN(fi)) {
                    f = Double.isNaN(f) ? fi / capacityPerReplica : Math.max(f, fi / capacityPerReplica);
                }
                if (!Double.isNaN(r.load()[i])) {
                    l = Math.max(l, r.load()[i] / capacityPerReplica);
                }
                d = Math.max(d, r.demand()[i]);
                s = Math.max(s, r.supply()[i]);
            }
            load[c] = l;
            demand[c] = d;
            supply[c] = s;
            forecast[c] = f;
            forecasts |= !Double.isNaN(f);
        }
        long spanMillis = r.interval().toMillis() * n;
        String timeLabel = "time (UTC)" + (columns < n ? "; each point is the maximum of up to "
                + ((n + columns - 1) / columns) + " steps" : "");
        TimeChart chart = new TimeChart(title, r.start().toEpochMilli(), spanMillis, "replicas", capacityPerReplica,
                "load (per second)", timeLabel, null)
                .series(new TimeChart.Series("load / capacity per replica", "#cfe3f7", TimeChart.Style.AREA, load,
                        LEFT + 340))
                .series(new TimeChart.Series("demand", "#e8590c", TimeChart.Style.STEP, demand, LEFT + 560))
                .series(new TimeChart.Series("supply (serving replicas)", "#1b6e1b", TimeChart.Style.STEP, supply,
                        LEFT + 660));
        if (forecasts) {
            // only for a forecasting policy, so a reactive policy's chart stays as it was; a column without a
            // usable forecast is a gap in the line
            chart.series(new TimeChart.Series("forecast / capacity per replica", "#7048e8", TimeChart.Style.DASHED_STEP,
                    forecast, LEFT + 860));
        }
        return chart.render();
    }
}
