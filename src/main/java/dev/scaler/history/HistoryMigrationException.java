package dev.scaler.history;

import dev.scaler.redaction.Redaction;

/** Flyway could not migrate the history's schema; the message is Flyway's, the cause what it threw. */
public final class HistoryMigrationException extends RuntimeException {

    HistoryMigrationException(String dataSource, RuntimeException failure) {
        // Flyway's words can quote a URL
        super(Redaction.URL_SECRETS.apply("history data source " + dataSource
                + ": Flyway could not migrate the schema: " + failure.getMessage()), failure);
    }
}
