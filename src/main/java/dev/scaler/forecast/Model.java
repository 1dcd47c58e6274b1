package dev.scaler.forecast;

import java.time.Instant;

/**
 * What a refresh of the history gives: a daily profile to forecast with, a trend-only model when the
 * profile did not predict the last day better than the latest load did, or why there is none.
 */
public sealed interface Model permits Model.Seasonal, Model.TrendOnly, Model.Unusable {

    /** When it was built (the clock at the refresh). */
    Instant fittedAt();

    /** What it was built from, for the decision's reason and the API. */
    String data();

    /**
     * A daily profile: {@code bins[b]} is the mean load of time-of-day bin b (UTC) over the days read.
     *
     * @param binMillis       the bin length (the history's coarse step)
     * @param days            days of history the profile averages
     * @param seasonalError   relative error of the level-corrected profile on the last day of the history
     * @param persistenceError relative error of "the load stays as it is" on the same day, for comparison
     */
    record Seasonal(Instant fittedAt, double[] bins, long binMillis, int days, double seasonalError,
                    double persistenceError, String data) implements Model {

        /**
         * The profile at {@code epochMillis}, linear between bin centres; NaN where a bin has no data. A sample
         * is stamped at the end of what it averages, as {@code query_range} of a {@code rate()} returns it, so
         * bin b (stamps in [b, b + 1) steps after midnight) is centred half a step before its start.
         */
        public double at(long epochMillis) {
            long day = 86_400_000L;
            double pos = (Math.floorMod(epochMillis, day) + binMillis / 2.0) / binMillis;
            int n = bins.length;
            int lo = (int) Math.floor(pos);
            double frac = pos - lo;
            double a = bins[Math.floorMod(lo, n)];
            double b = bins[Math.floorMod(lo + 1, n)];
            return a + (b - a) * frac;
        }
    }

    /** The history is long and whole enough, but its daily shape predicted no better than the latest load. */
    record TrendOnly(Instant fittedAt, double seasonalError, double persistenceError, String data) implements Model {
    }

    /** No forecast from this history; the target decides reactively. */
    record Unusable(Instant fittedAt, String reason, String data) implements Model {
    }
}
