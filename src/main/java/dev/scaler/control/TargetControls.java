package dev.scaler.control;

/** Where the evaluator reads a target's runtime control; {@link ControlStore} in the application. */
@FunctionalInterface
public interface TargetControls {

    /** For wiring without a database (tests of the evaluator alone): nothing paused, no override. */
    TargetControls NONE = target -> TargetControl.NONE;

    TargetControl get(String target);
}
