package dev.scaler.backtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Parsers of the trace formats, pure over a reader. Every malformed line is an error naming the source
 * and the line number (and, for the one-line NASA format, the value's position): a trace silently
 * read wrong would score a policy on a load that never happened.
 */
final class TraceParsers {

    /** The NASA-HTTP trace's first second: 1995-07-01 00:00:01 in the server's time zone, UTC-4. */
    static final Instant NASA_START = OffsetDateTime.of(1995, 7, 1, 0, 0, 1, 0, ZoneOffset.ofHours(-4)).toInstant();
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private TraceParsers() {
    }

    /**
     * WorldCup98 per minute: header {@code period,count}, then one minute per line, oldest first.
     * Absent minutes had no requests (the trace's README), so they become 0. Counts per minute are
     * divided by 60: the load is requests per second, the unit of {@code rate()} in the live service.
     */
    static LoadTrace worldCup(String source, BufferedReader in) throws IOException {
        GrowingSeries series = new GrowingSeries(1 << 17);
        Instant start = null;
        long previous = Long.MIN_VALUE;
        int lineNo = 0;
        MinuteReader minutes = new MinuteReader(source);
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            if (lineNo == 1 && line.strip().equalsIgnoreCase("period,count")) {
                continue;
            }
            int comma = line.indexOf(',');
            if (comma < 0 || line.indexOf(',', comma + 1) >= 0) {
                throw malformed(source, lineNo, "expected 'YYYY-MM-DD HH:MM:SS,count', got '" + abbreviate(line) + "'");
            }
            long epochSecond = minutes.epochSecond(lineNo, line, comma);
            long count = wholeCount(source, lineNo, line.substring(comma + 1));
            long epochMinute = epochSecond / 60;
            if (epochSecond % 60 != 0) {
                throw malformed(source, lineNo, "period " + Instant.ofEpochSecond(epochSecond)
                        + " is not the start of a minute");
            }
            if (start == null) {
                start = Instant.ofEpochSecond(epochSecond);
            } else if (epochMinute <= previous) {
                throw malformed(source, lineNo, "period " + Instant.ofEpochSecond(epochSecond) + " is not after the line before; the trace must be"
                        + " in time order with one line per minute");
            } else {
                series.fill(epochMinute - previous - 1, 0);
            }
            previous = epochMinute;
            series.add(count / 60.0);
        }
        if (start == null) {
            throw new BacktestInputException(source + ": no data lines (expected 'period,count' lines)");
        }
        return new LoadTrace(source, start, MINUTE, series.toArray());
    }

    /**
     * NASA-HTTP per second: whitespace-separated whole counts, one per second from {@link #NASA_START}.
     * Read character by character: the full trace is five million values on one line.
     */
    static LoadTrace nasa(String source, BufferedReader in) throws IOException {
        GrowingSeries series = new GrowingSeries(1 << 20);
        int lineNo = 1;
        long position = 0;
        long value = 0;
        boolean inNumber = false;
        StringBuilder bad = null;
        int c;
        while ((c = in.read()) >= 0) {
            boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
            if (space) {
                if (bad != null) {
                    throw badNasaValue(source, lineNo, position, bad);
                }
                if (inNumber) {
                    series.add(value);
                    inNumber = false;
                    value = 0;
                }
                if (c == '\n') {
                    lineNo++;
                }
            } else if (c >= '0' && c <= '9' && bad == null) {
                if (!inNumber) {
                    position++;
                    inNumber = true;
                }
                value = value * 10 + (c - '0');
                if (value > 1_000_000_000_000L) {
                    throw malformed(source, lineNo, "value #" + position + " is implausibly large");
                }
            } else {
                if (bad == null) {
                    if (!inNumber) {
                        position++;
                    }
                    bad = new StringBuilder(inNumber ? Long.toString(value) : "");
                }
                if (bad.length() < 40) {
                    bad.appendCodePoint(c);
                }
            }
        }
        if (bad != null) {
            throw badNasaValue(source, lineNo, position, bad);
        }
        if (inNumber) {
            series.add(value);
        }
        if (series.size() == 0) {
            throw new BacktestInputException(source + ": no values (expected whitespace-separated requests per second)");
        }
        return new LoadTrace(source, NASA_START, Duration.ofSeconds(1), series.toArray());
    }

    /**
     * {@code timestamp,value}, optionally under a header line. The step is the distance of the first two
     * timestamps; every later one must lie on that grid. A missing step, an empty value or NaN is "no
     * sample" (the replay holds, as the live service does on an empty answer), not zero.
     */
    static LoadTrace csv(String source, BufferedReader in) throws IOException {
        GrowingSeries series = new GrowingSeries(1 << 12);
        Instant start = null;
        long stepMillis = 0;
        long previousIndex = -1;
        double pendingValue = 0;
        int lineNo = 0;
        boolean first = true;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length != 2) {
                throw malformed(source, lineNo, "expected 'timestamp,value', got '" + abbreviate(line) + "'");
            }
            if (first) {
                first = false;
                if (!looksLikeTimestamp(fields[0].strip())) {
                    continue; // a header such as "timestamp,value"
                }
            }
            Instant at = anyTimestamp(source, lineNo, fields[0]);
            double value = csvValue(source, lineNo, fields[1]);
            if (start == null) {
                start = at;
                pendingValue = value;
                continue;
            }
            if (stepMillis == 0) {
                stepMillis = Duration.between(start, at).toMillis();
                if (stepMillis <= 0) {
                    throw malformed(source, lineNo, "timestamp " + at + " is not after the first one (" + start + ")");
                }
                series.add(pendingValue);
                previousIndex = 0;
            }
            long offset = Duration.between(start, at).toMillis();
            if (offset % stepMillis != 0) {
                throw malformed(source, lineNo, "timestamp " + at + " is not on the trace's grid: a step of "
                        + Duration.ofMillis(stepMillis) + " from " + start + " (the first two lines set the step)");
            }
            long index = offset / stepMillis;
            if (index <= previousIndex) {
                throw malformed(source, lineNo, "timestamp " + at + " is not after the line before; the trace must be"
                        + " in time order");
            }
            if (index - previousIndex - 1 > 50_000_000L) {
                throw malformed(source, lineNo, "timestamp " + at + " leaves a gap of " + (index - previousIndex - 1)
                        + " steps");
            }
            series.fill(index - previousIndex - 1, Double.NaN);
            series.add(value);
            previousIndex = index;
        }
        if (start == null) {
            throw new BacktestInputException(source + ": no data lines (expected 'timestamp,value' lines)");
        }
        if (stepMillis == 0) {
            throw new BacktestInputException(source + ": only one data line; at least two are needed to know the step");
        }
        return new LoadTrace(source, start, Duration.ofMillis(stepMillis), series.toArray());
    }

    private static boolean looksLikeTimestamp(String field) {
        return !field.isEmpty() && Character.isDigit(field.charAt(0));
    }

    private static Instant anyTimestamp(String source, int lineNo, String field) {
        String t = field.strip();
        try {
            if (t.matches("\\d+(\\.\\d+)?")) {
                BigDecimal seconds = new BigDecimal(t);
                return Instant.ofEpochMilli(seconds.movePointRight(3).longValueExact());
            }
            if (t.length() == 19 && t.charAt(10) == ' ') {
                return spacedUtc(source, lineNo, t);
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException | ArithmeticException e) {
            throw malformed(source, lineNo, "'" + abbreviate(t) + "' is not a timestamp (use 2026-01-01T00:00:00Z,"
                    + " 2026-01-01 00:00:00 (UTC) or Unix seconds)");
        }
    }

    /**
     * {@code YYYY-MM-DD HH:MM:SS} in UTC, read by position: a formatter costs more than the rest of the
     * replay on the 125,310 lines of WorldCup98, and {@link LocalDateTime#of} still refuses June 31.
     */
    static Instant spacedUtc(String source, int lineNo, String field) {
        String t = field.strip();
        try {
            if (t.length() != 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != ' '
                    || t.charAt(13) != ':' || t.charAt(16) != ':') {
                throw new DateTimeException("layout");
            }
            return LocalDateTime.of(digits(t, 0, 4), digits(t, 5, 7), digits(t, 8, 10), digits(t, 11, 13),
                    digits(t, 14, 16), digits(t, 17, 19)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw malformed(source, lineNo, "'" + abbreviate(field) + "' is not a period 'YYYY-MM-DD HH:MM:SS'");
        }
    }

    /**
     * Reads WorldCup98's periods as {@link #spacedUtc} does, with the same errors, but computes a date's
     * epoch day only when it changes (once per 1,440 lines) and parses the time of day by hand: no
     * {@code Instant} or substring per line.
     */
    private static final class MinuteReader {
        private final String source;
        private String day;
        private long dayEpochSecond;

        MinuteReader(String source) {
            this.source = source;
        }

        /** The epoch second of the period in {@code line.substring(0, end)}. */
        long epochSecond(int lineNo, String line, int end) {
            int from = 0;
            while (from < end && Character.isWhitespace(line.charAt(from))) {
                from++;
            }
            int to = end;
            while (to > from && Character.isWhitespace(line.charAt(to - 1))) {
                to--;
            }
            if (to - from != 19 || day == null || !line.regionMatches(from, day, 0, 11)) {
                String field = line.substring(0, end);
                Instant at = spacedUtc(source, lineNo, field);
                String t = field.strip();
                day = t.substring(0, 11);
                dayEpochSecond = at.getEpochSecond() - (at.getEpochSecond() % 86_400);
                return at.getEpochSecond();
            }
            try {
                if (line.charAt(from + 13) != ':' || line.charAt(from + 16) != ':') {
                    throw new DateTimeException("layout");
                }
                int hour = digits(line, from + 11, from + 13);
                int minute = digits(line, from + 14, from + 16);
                int second = digits(line, from + 17, from + 19);
                if (hour > 23 || minute > 59 || second > 59) {
                    throw new DateTimeException("out of range");
                }
                return dayEpochSecond + hour * 3_600L + minute * 60L + second;
            } catch (DateTimeException e) {
                throw malformed(source, lineNo, "'" + abbreviate(line.substring(0, end))
                        + "' is not a period 'YYYY-MM-DD HH:MM:SS'");
            }
        }
    }

    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new DateTimeException("not a digit");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static long wholeCount(String source, int lineNo, String field) {
        try {
            long n = Long.parseLong(field.strip());
            if (n < 0) {
                throw malformed(source, lineNo, "count " + n + " is negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw malformed(source, lineNo, "count '" + abbreviate(field) + "' is not a whole number");
        }
    }

    private static double csvValue(String source, int lineNo, String field) {
        String t = field.strip();
        if (t.isEmpty() || t.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw malformed(source, lineNo, "value '" + abbreviate(t) + "' is not a number");
        }
        if (Double.isInfinite(v) || v < 0) {
            throw malformed(source, lineNo, "value " + t + " is not a load (must be a finite number >= 0)");
        }
        return v;
    }

    private static BacktestInputException badNasaValue(String source, int lineNo, long position, StringBuilder bad) {
        return malformed(source, lineNo, "value #" + position + " '" + bad + "' is not a whole number of requests");
    }

    private static BacktestInputException malformed(String source, int lineNo, String message) {
        return new BacktestInputException(source + ":" + lineNo + ": " + message);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** A double array that grows; avoids boxing five million values. */
    private static final class GrowingSeries {
        private double[] values;
        private int size;

        GrowingSeries(int capacity) {
            values = new double[capacity];
        }

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = v;
        }

        void fill(long count, double v) {
            for (long i = 0; i < count; i++) {
                add(v);
            }
        }

        int size() {
            return size;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
