package dev.scaler.decision;

import java.time.Instant;

/** A replica count the calculator recommended at a moment, kept for stabilization windows. */
public record Recommendation(Instant at, int replicas) {
}
