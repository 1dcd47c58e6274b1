package dev.scaler.target;

import java.time.Duration;

/** The defaults of every target key, in one place; README's table lists the same values. */
final class TargetDefaults {

    static final String COMPOSE_PROJECT_DIR = ".";
    static final int MIN_REPLICAS = 1;
    static final int MAX_REPLICAS = 10;
    static final double CAPACITY_PER_REPLICA = 100;
    static final double TOLERANCE = 0.1;
    static final Duration SCALE_UP_COOLDOWN = Duration.ofSeconds(60);
    static final Duration SCALE_DOWN_COOLDOWN = Duration.ofSeconds(300);
    static final Duration SCALE_UP_STABILIZATION = Duration.ZERO;
    static final Duration SCALE_DOWN_STABILIZATION = Duration.ofSeconds(300);
    static final int STEP_UNLIMITED = 0;
    static final int FALLBACK_OFF = 0;
    static final Duration RETRY_INITIAL = Duration.ofSeconds(30);
    static final Duration RETRY_MAX = Duration.ofMinutes(10);

    private TargetDefaults() {
    }
}
