package dev.scaler.decision;

/**
 * Every intermediate number of one decision, so a person can see why it came out as it did.
 * A field is null when the step that fills it did not run (no metric value, range correction, ...).
 *
 * @param observed       replicas running when the decision was made; null when unknown
 * @param metricState    the state of the reading
 * @param load           the metric value; NaN when there was none
 * @param raw            ceil(load / capacity per replica)
 * @param afterTolerance raw, or observed when the load is within tolerance; this is the
 *                       recommendation kept for stabilization windows
 * @param stabilized     after the scale-up and scale-down stabilization windows
 * @param limited        after the per-action step limits
 * @param desired        after the min/max clamp: where the target should go, cooldowns aside
 */
public record Calculation(Integer observed,
                          MetricState metricState,
                          double load,
                          Integer raw,
                          Integer afterTolerance,
                          Integer stabilized,
                          Integer limited,
                          Integer desired) {

    static Calculation unobserved(MetricReading reading) {
        return new Calculation(null, reading.state(), reading.value(), null, null, null, null, null);
    }

    static Calculation withoutMetric(int observed, MetricReading reading, int desired) {
        return new Calculation(observed, reading.state(), reading.value(), null, null, null, null, desired);
    }
}
