package dev.scaler.history;

/**
 * A statement against the history's database (history, control state) failed with a checked exception, which the
 * transaction manager rethrows as is and the stores' interfaces do not declare. Scaler's own type rather than
 * Micronaut Data's {@code DataAccessException}: that one came with micronaut-data-model, whose 100 introspections
 * (of query interceptors for repositories Scaler does not have) every start loaded (issue 11).
 */
public final class DatabaseException extends RuntimeException {

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
