package dev.scaler.decision;

/**
 * What a metric query told us, before any number is trusted. Only {@link #HEALTHY} and
 * {@link #DEGRADED} carry a usable value; every other state means "we do not know the load",
 * which is never the same as zero load.
 */
public enum MetricState {
    /** One fresh, finite sample. */
    HEALTHY,
    /** A usable sample, but Prometheus attached warnings: may scale up, never down. */
    DEGRADED,
    /** Connection refused, DNS failure or timeout. */
    UNREACHABLE,
    /** HTTP error status, or a body with {@code status: error}. */
    ERROR,
    /** Prometheus answered 503: still starting or replaying its WAL. */
    NOT_READY,
    /** The query matched no series. */
    EMPTY,
    /** The query returned more than one series where one was expected. */
    MULTIPLE_SERIES,
    /** The sample was NaN or +/-Inf. */
    NOT_A_NUMBER,
    /** The sample is older than the freshness limit. */
    STALE;

    public boolean hasValue() {
        return this == HEALTHY || this == DEGRADED;
    }
}
