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
 */
public record ReplayResult(String policy, Instant start, Duration interval, double[] load, int[] demand, int[] supply,
                           int[] running, List<Replay.ScaleAction> actions) {

    public ReplayResult {
        actions = List.copyOf(actions);
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
                (int) ups, actions.size() - (int) ups);
    }

    /** What the report shows of one policy. */
    public record Score(String policy, ElasticityMetrics metrics, double replicaHours, int scaleActions, int scaleUps,
                        int scaleDowns) {
    }
}
