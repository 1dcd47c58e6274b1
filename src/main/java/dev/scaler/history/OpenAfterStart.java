package dev.scaler.history;

/**
 * Present as a bean only in the service started by its {@code main} ({@code dev.scaler.Application}): the schema
 * migration waits for the loop's start, which runs after the HTTP server answers, instead of running while the
 * data source bean is made (issue 11). Its absence (every context a test starts) keeps the migration where it was.
 */
public record OpenAfterStart() {
}
