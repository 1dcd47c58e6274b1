package dev.scaler.fleet;

/** A fleet could not be read or driven; the message names the inventory, group or host. */
public class FleetException extends RuntimeException {

    public FleetException(String message) {
        super(message);
    }

    public FleetException(String message, Throwable cause) {
        super(message, cause);
    }
}
