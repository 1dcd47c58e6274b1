package dev.scaler.target;

import java.util.Objects;

/**
 * The evaluation a target is observed for. In a loop tick ({@code shared}) a driver may answer every target
 * of the tick from one read it makes once (one Docker listing for all compose targets); an evaluation of its
 * own (an alert, a manual scale) reads afresh.
 *
 * @param id     the tick id the history and the logs carry ({@code t12}, {@code n3-alert}, {@code m1-manual})
 * @param shared true for the loop's tick over all targets
 */
public record Tick(String id, boolean shared) {

    public Tick {
        Objects.requireNonNull(id, "id");
    }

    /** One of the loop's ticks over every target. */
    public static Tick ofLoop(String id) {
        return new Tick(id, true);
    }

    /** An evaluation of one target on its own, which reads everything afresh. */
    public static Tick alone(String id) {
        return new Tick(id, false);
    }
}
