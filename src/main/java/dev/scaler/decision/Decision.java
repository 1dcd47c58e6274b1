package dev.scaler.decision;

import java.time.Instant;
import java.util.Objects;

/** The outcome of one decision: only ever built by {@link Decider}, always with its reason. */
public sealed interface Decision permits Decision.Scale, Decision.Hold, Decision.RetryLater {

    Calculation calculation();

    String reason();

    /** Replicas the target should run after this decision is carried out. */
    int targetReplicas();

    /** The recommendation to remember for stabilization windows, or null when none was computed. */
    default Integer recommendation() {
        return calculation().afterTolerance();
    }

    /** Change the replica count from {@code from} to {@code to}. */
    record Scale(int from, int to, Calculation calculation, String reason) implements Decision {
        public Scale {
            if (from == to) {
                throw new IllegalArgumentException("a scale must change the count, both are " + to);
            }
            if (from < 0 || to < 0) {
                throw new IllegalArgumentException("replica counts cannot be negative: " + from + " -> " + to);
            }
            Objects.requireNonNull(calculation, "calculation");
            Objects.requireNonNull(reason, "reason");
        }

        public boolean up() {
            return to > from;
        }

        @Override
        public int targetReplicas() {
            return to;
        }
    }

    /** Keep the count as it is. {@code current} is -1 when the running count is unknown. */
    record Hold(int current, Calculation calculation, String reason) implements Decision {
        public Hold {
            Objects.requireNonNull(calculation, "calculation");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public int targetReplicas() {
            return current;
        }
    }

    /** A change is wanted but a recent action failed: wait until {@code notBefore} (retry backoff). */
    record RetryLater(int current, int wanted, Instant notBefore, Calculation calculation, String reason)
            implements Decision {
        public RetryLater {
            Objects.requireNonNull(notBefore, "notBefore");
            Objects.requireNonNull(calculation, "calculation");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public int targetReplicas() {
            return current;
        }
    }
}
