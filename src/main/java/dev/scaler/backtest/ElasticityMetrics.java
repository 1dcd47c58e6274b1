package dev.scaler.backtest;

import java.time.Duration;

/**
 * The SPEC Research Group's elasticity metrics (Herbst et al., "Quantifying Cloud Performance and
 * Dependability", ACM TOMPECS 3(4), 2018; Bauer et al., "Chameleon", IEEE TPDS 30(4), 2019), comparing
 * demand d_t with supply s_t over N equal steps of length dt, T = N * dt. Lower is better for all;
 * jitter is best at 0.
 *
 * @param underAccuracy  theta_U = 100/T * sum (d_t - s_t)+ / max(d_t, 1) * dt: mean missing share of demand, percent
 * @param overAccuracy   theta_O = 100/T * sum (s_t - d_t)+ / max(d_t, 1) * dt: mean surplus share of demand, percent
 * @param underTimeShare tau_U: percent of time with s_t &lt; d_t
 * @param overTimeShare  tau_O: percent of time with s_t &gt; d_t
 * @param instability    percent of the N-1 step transitions where supply and demand do not move the same way:
 *                       100/(N-1) * sum over t of [sgn(s_t - s_t-1) != sgn(d_t - d_t-1)]
 * @param jitterPerHour  (supply changes - demand changes) / T, per hour: negative is sluggish, positive oscillates
 */
public record ElasticityMetrics(double underAccuracy, double overAccuracy, double underTimeShare,
                                double overTimeShare, double instability, double jitterPerHour) {

    /**
     * The metrics of a replay. Steps with no demand normalize by one replica (max(d_t, 1)), since the
     * papers' ratio is undefined there: idling two replicas at zero load then counts as 200 % surplus.
     */
    public static ElasticityMetrics of(int[] demand, int[] supply, Duration step) {
        int n = demand.length;
        if (n == 0 || supply.length != n) {
            throw new IllegalArgumentException("demand and supply need the same, non-zero length; got " + n + " and "
                    + supply.length);
        }
        double under = 0;
        double over = 0;
        int underSteps = 0;
        int overSteps = 0;
        int unstable = 0;
        int supplyChanges = 0;
        int demandChanges = 0;
        for (int t = 0; t < n; t++) {
            int d = demand[t];
            int s = supply[t];
            double norm = Math.max(d, 1);
            if (s < d) {
                under += (d - s) / norm;
                underSteps++;
            } else if (s > d) {
                over += (s - d) / norm;
                overSteps++;
            }
            if (t > 0) {
                int ds = Integer.signum(s - supply[t - 1]);
                int dd = Integer.signum(d - demand[t - 1]);
                if (ds != dd) {
                    unstable++;
                }
                if (ds != 0) {
                    supplyChanges++;
                }
                if (dd != 0) {
                    demandChanges++;
                }
            }
        }
        double hours = n * (step.toMillis() / 3_600_000.0);
        return new ElasticityMetrics(100.0 * under / n, 100.0 * over / n, 100.0 * underSteps / n,
                100.0 * overSteps / n, n > 1 ? 100.0 * unstable / (n - 1) : 0,
                (supplyChanges - demandChanges) / hours);
    }
}
