package dev.scaler.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of a duration in Scaler's configuration, policy files, labels and backtest arguments: as
 * Micronaut writes them ({@code 250ms}, {@code 15s}, {@code 5m}, {@code 1h}, {@code 1d}) or ISO-8601
 * ({@code PT15S}). Plain seconds are refused because the unit would be a guess.
 */
public final class DurationText {

    private static final Pattern SHORT = Pattern.compile("^(\\d+)\\s*(ms|s|m|h|d)$");

    private DurationText() {
    }

    /** The duration {@code text} says; throws {@link java.time.format.DateTimeParseException} or
     * {@link ArithmeticException} when it says none. */
    public static Duration parse(String text) {
        String t = text.trim();
        Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        return Duration.parse(t);
    }
}
