package dev.scaler.backtest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A replay's series, one entry per decision interval, and its scale actions. Arrays for size: the
 * WorldCup98 trace is 125,300 intervals at one minute. Treat them as read-only.
 *
 * @param load    the load the interval carried (NaN: no sample)
 * @param demand  replicas needed: ceil(load / real capacity per replica)
 * @param supply  replicas serving after the interval's decision (started and past the start delay)
 * @param running replicas running after the decision, serving or still starting: what is paid for
 * @param forecast the usable forecast made at the interval, the highest load expected over its horizon; NaN
 *                 when there was none (or the policy does not forecast)
 * @param forecastFor the highest load that then came over that horizon, to compare with the forecast; NaN
 *                 when there was no forecast or the replay ended first
 */
public record ReplayResult(String policy, Instant start, Duration interval, double[] load, int[] demand, int[] supply,
                           int[] running, List<Replay.ScaleAction> actions, double[] forecast, double[] forecastFor) {

    public ReplayResult {
        actions = List.copyOf(actions);
    }

    public ReplayResult(String policy, Instant start, Duration interval, double[] load, int[] demand, int[] supply,
                        int[] running, List<Replay.ScaleAction> actions) {
        this(policy, start, interval, load, demand, supply, running, actions, nans(load.length), nans(load.length));
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    /** Steps {@code [from, to)} of this result, as a result of their own (a day of a long replay). */
    public ReplayResult slice(int from, int to) {
        Instant sliceStart = at(from);
        Instant sliceEnd = at(to);
        List<Replay.ScaleAction> inside = actions.stream()
                .filter(a -> !a.at().isBefore(sliceStart) && a.at().isBefore(sliceEnd)).toList();
        return new ReplayResult(policy, sliceStart, interval, java.util.Arrays.copyOfRange(load, from, to),
                java.util.Arrays.copyOfRange(demand, from, to), java.util.Arrays.copyOfRange(supply, from, to),
                java.util.Arrays.copyOfRange(running, from, to), inside, java.util.Arrays.copyOfRange(forecast, from, to),
                java.util.Arrays.copyOfRange(forecastFor, from, to));
    }

    /**
     * The forecasts' relative error, sum |forecast - highest load over its horizon| / sum highest load, in
     * percent, over the steps that had a usable forecast; NaN when none had.
     */
    public double forecastErrorPercent() {
        double abs = 0;
        double sum = 0;
        for (int i = 0; i < forecast.length; i++) {
            if (!Double.isNaN(forecast[i]) && !Double.isNaN(forecastFor[i])) {
                abs += Math.abs(forecast[i] - forecastFor[i]);
                sum += forecastFor[i];
            }
        }
        return sum > 0 ? 100 * abs / sum : Double.NaN;
    }

    /** Percent of the steps with a usable forecast. */
    public double forecastCoveragePercent() {
        int n = 0;
        for (double f : forecast) {
            if (!Double.isNaN(f)) {
                n++;
            }
        }
        return forecast.length == 0 ? 0 : 100.0 * n / forecast.length;
    }

    public int steps() {
        return load.length;
    }

    public Instant at(int step) {
        return start.plus(interval.multipliedBy(step));
    }

    /** Replica-hours paid for: running replicas (starting ones included) times the interval. */
    public double replicaHours() {
        long sum = 0;
        for (int r : running) {
            sum += r;
        }
        return sum * (interval.toMillis() / 3_600_000.0);
    }

    public Score score() {
        long ups = actions.stream().filter(a -> a.to() > a.from()).count();
        return new Score(policy, ElasticityMetrics.of(demand, supply, interval), replicaHours(), actions.size(),
                (int) ups, actions.size() - (int) ups, forecastErrorPercent(), forecastCoveragePercent());
    }

    /** What the report shows of one policy. */
    /**
     * @param forecastError    {@link #forecastErrorPercent()}: NaN for a policy that does not forecast
     * @param forecastCoverage percent of the steps with a usable forecast
     */
    public record Score(String policy, ElasticityMetrics metrics, double replicaHours, int scaleActions, int scaleUps,
                        int scaleDowns, double forecastError, double forecastCoverage) {
    }
}
