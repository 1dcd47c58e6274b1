package dev.scaler.backtest;

import dev.scaler.target.Targets;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** Times and durations as the command line takes them; every bad value is an error naming the option. */
final class TimeArgument {

    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm[:ss]")
            .withResolverStyle(ResolverStyle.STRICT);

    private TimeArgument() {
    }

    /**
     * An instant: {@code 1998-06-30T00:00:00Z}, {@code 1998-06-30 12:00[:00]} or {@code 1998-06-30} (UTC),
     * Unix seconds, {@code now} or {@code now-6h}.
     */
    static Instant instant(String option, String text, Instant now) {
        String t = text.strip();
        try {
            if (t.equals("now")) {
                return now;
            }
            if (t.startsWith("now-")) {
                return now.minus(Targets.parseDuration(t.substring(4)));
            }
            if (t.matches("\\d+(\\.\\d+)?")) {
                return Instant.ofEpochMilli(new BigDecimal(t).movePointRight(3).longValueExact());
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (t.length() >= 16 && t.charAt(10) == ' ') {
                return LocalDateTime.parse(t, SPACED).toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new BacktestInputException(option + ": '" + text + "' is not a time (use 1998-06-30T12:00:00Z,"
                    + " '1998-06-30 12:00' or 1998-06-30 (UTC), Unix seconds, now or now-6h)");
        }
    }

    /** A duration as the service's configuration writes them: 250ms, 15s, 5m, 1h, 1d or ISO-8601. */
    static Duration duration(String option, String text) {
        try {
            Duration d = Targets.parseDuration(text);
            if (d.isNegative()) {
                throw new BacktestInputException(option + ": must be >= 0, got '" + text + "'");
            }
            return d;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new BacktestInputException(option + ": '" + text + "' is not a duration (use 250ms, 15s, 5m, 1h, 1d"
                    + " or ISO-8601 like PT15S)");
        }
    }
}
