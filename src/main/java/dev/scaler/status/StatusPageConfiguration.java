package dev.scaler.status;

/**
 * Settings of the status page, under {@code scaler.status-page.}. Read and checked by
 * {@code dev.scaler.config.Configurations}; the defaults are the constants here.
 *
 * @param enabled serve the page at {@code /} and {@code /targets/{name}}; off, both answer 404
 */
public record StatusPageConfiguration(boolean enabled) {

    public static final boolean DEFAULT_ENABLED = true;

    public static StatusPageConfiguration defaults() {
        return new StatusPageConfiguration(DEFAULT_ENABLED);
    }
}
