package dev.scaler.observation;

/** STUB until the ansible-exec branch merges. */
public class ObservationException extends Exception {
    public ObservationException(String message, Throwable cause) {
        super(message, cause);
    }
}
