package dev.scaler.forecast;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;

/**
 * Compares each forecast with what then happened: the highest load seen over its horizon. Keeps the
 * relative error of the latest forecasts (sum |forecast - highest load| / sum highest load), and turns a
 * forecast unusable while that error is above {@code predictive-max-error}, so a forecast that has gone
 * wrong stops acting (it never holds replicas up for long) until it is right again. Pure and in memory:
 * the live loop keeps one per target, the backtest one per replay.
 */
public final class ForecastTracker {

    /** How many judged forecasts the recent error averages over. */
    static final int WINDOW = 60;
    /** Fewer judged forecasts than this and the error is not known yet. */
    static final int MIN_JUDGED = 10;

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ArrayDeque<double[]> judged = new ArrayDeque<>();
    private double sumAbs;
    private double sumActual;
    private double lastError = Double.NaN;

    private static final class Pending {
        final long at;
        final long until;
        final double value;
        double highest = Double.NaN;

        Pending(long at, long until, double value) {
            this.at = at;
            this.until = until;
            this.value = value;
        }
    }

    /** A load sample: closes the forecasts whose horizon it ends, and feeds the others. */
    public void observe(Instant at, double load) {
        if (Double.isNaN(load)) {
            return;
        }
        long t = at.toEpochMilli();
        Iterator<Pending> it = pending.iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (t > p.at && t <= p.until) {
                p.highest = Double.isNaN(p.highest) ? load : Math.max(p.highest, load);
            }
            if (t >= p.until) {
                it.remove();
                if (!Double.isNaN(p.highest)) {
                    judge(p.value, p.highest);
                }
            }
        }
    }

    /** A forecast made now, to be judged when its horizon has passed. Unusable ones are not judged. */
    public void forecasted(Forecast f) {
        if (!f.usable()) {
            return;
        }
        long at = f.at().toEpochMilli();
        pending.addLast(new Pending(at, at + f.horizon().toMillis(), f.value()));
    }

    /** The forecast, or it made unusable when the recent error is above {@code maxError}. */
    public Forecast check(Forecast f, double maxError) {
        double e = recentError();
        if (f.usable() && !Double.isNaN(e) && e > maxError) {
            return f.unusable(String.format(Locale.ROOT,
                    "recent error %.1f %% of the load is above predictive-max-error %.1f %%", 100 * e, 100 * maxError));
        }
        return f;
    }

    /** Relative error of the latest judged forecasts; NaN until {@value #MIN_JUDGED} are judged. */
    public double recentError() {
        if (judged.size() < MIN_JUDGED || sumActual <= 0) {
            return judged.size() < MIN_JUDGED ? Double.NaN : (sumAbs > 0 ? Double.POSITIVE_INFINITY : 0);
        }
        return sumAbs / sumActual;
    }

    /** The last judged forecast's error, forecast minus what happened, relative to what happened; NaN if none. */
    public double lastError() {
        return lastError;
    }

    private void judge(double forecast, double actual) {
        double abs = Math.abs(forecast - actual);
        judged.addLast(new double[] {abs, actual});
        sumAbs += abs;
        sumActual += actual;
        lastError = actual > 0 ? (forecast - actual) / actual : Double.NaN;
        if (judged.size() > WINDOW) {
            double[] old = judged.removeFirst();
            sumAbs -= old[0];
            sumActual -= old[1];
        }
    }
}
