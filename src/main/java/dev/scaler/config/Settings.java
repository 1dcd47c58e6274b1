package dev.scaler.config;

import dev.scaler.redaction.Redaction;
import dev.scaler.target.Targets;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads {@code scaler.*} values as the text they were given and parses them here, collecting every
 * problem as {@code KEY: 'VALUE' is not ... (what is expected)}: a value that does not parse never
 * silently becomes its default, and one startup names every bad key at once. Pure: the values come from a
 * function (Micronaut's environment in production, a map in tests).
 */
public final class Settings {

    /** What a duration looks like; the one grammar of {@link DurationText}. */
    public static final String DURATION_HINT = "use 250ms, 15s, 5m, 1h, 1d or ISO-8601 like PT15S";

    /** A variable name, or a prefix of names ending in {@code *} (execution.AnsibleEnvironment). */
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*|([A-Za-z_][A-Za-z0-9_]*)?\\*");

    private final Function<String, Optional<Object>> source;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param source the raw value of a full key: a String, a number or boolean (YAML scalars), or a list
     *               (YAML sequences); empty when the key is not set
     */
    public Settings(Function<String, Optional<Object>> source) {
        this.source = source;
    }

    /** Every problem found so far, in the order the keys were read. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    public void problem(String key, String message) {
        problems.add(key + ": " + message);
    }

    /** The trimmed text of {@code key}; empty when unset or blank (blank means "use the default"). */
    public Optional<String> text(String key) {
        return source.apply(key).map(Settings::scalar).map(String::trim).filter(s -> !s.isEmpty());
    }

    public String string(String key, String fallback) {
        return text(key).orElse(fallback);
    }

    /**
     * Optional text, kept exactly as given (a password may start with a space, and a set but empty token
     * is for the record to refuse); null when unset.
     */
    public String secret(String key) {
        return source.apply(key).map(Settings::scalar).orElse(null);
    }

    public Duration duration(String key, Duration fallback) {
        return text(key).map(v -> parseDuration(key, v, fallback)).orElse(fallback);
    }

    /** A duration that must be {@code >= 0}. */
    public Duration nonNegativeDuration(String key, Duration fallback) {
        return check(key, duration(key, fallback), fallback, d -> !d.isNegative(), "must be >= 0");
    }

    /** A duration that must be {@code > 0}. */
    public Duration positiveDuration(String key, Duration fallback) {
        return check(key, duration(key, fallback), fallback, d -> !d.isNegative() && !d.isZero(),
                "must be more than 0");
    }

    public int integer(String key, int fallback, int min, int max) {
        return (int) longInteger(key, fallback, min, max);
    }

    public long longInteger(String key, long fallback, long min, long max) {
        Optional<String> v = text(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n < min || n > max) {
                problem(key, "'" + v.get() + "' is out of range (a whole number from " + min + " to " + max + ")");
                return fallback;
            }
            return n;
        } catch (NumberFormatException e) {
            problem(key, "'" + v.get() + "' is not a whole number (from " + min + " to " + max + ")");
            return fallback;
        }
    }

    public boolean bool(String key, boolean fallback) {
        Optional<String> v = text(key);
        if (v.isEmpty()) {
            return fallback;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problem(key, "'" + v.get() + "' is not a boolean (use true or false; yes/no and on/off work too)");
                yield fallback;
            }
        };
    }

    /** A path; null when unset and {@code fallback} is null. */
    public Path path(String key, Path fallback) {
        Optional<String> v = text(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Path.of(v.get());
        } catch (InvalidPathException e) {
            problem(key, "'" + v.get() + "' is not a path (" + e.getReason() + ")");
            return fallback;
        }
    }

    /** An http or https URI with a host. */
    public URI httpUri(String key, URI fallback) {
        Optional<String> v = text(key);
        if (v.isEmpty()) {
            return fallback;
        }
        String expected = "is not an http or https URL with a host (like http://prometheus:9090)";
        try {
            URI uri = new URI(v.get());
            String scheme = uri.getScheme();
            if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // Reported below, with what a valid value looks like.
        }
        problem(key, "'" + Redaction.urlValue(v.get()) + "' " + expected);
        return fallback;
    }

    /**
     * A list of environment variable names: a YAML list or one comma-separated string; each must be
     * {@code [A-Za-z_][A-Za-z0-9_]*}, or such a prefix followed by {@code *}.
     */
    public List<String> environmentNames(String key) {
        Optional<Object> raw = source.apply(key);
        if (raw.isEmpty()) {
            return List.of();
        }
        List<String> items = raw.get() instanceof Collection<?> c
                ? c.stream().map(Settings::scalar).map(String::trim).toList()
                : Arrays.stream(scalar(raw.get()).split(",")).map(String::trim).toList();
        List<String> names = new ArrayList<>();
        for (String item : items) {
            if (item.isEmpty() && items.size() == 1) {
                continue;
            }
            if (ENV_NAME.matcher(item).matches()) {
                names.add(item);
            } else {
                problem(key, "'" + item + "' is not an environment variable name (letters, digits and '_',"
                        + " not starting with a digit), nor such a prefix ending in '*'");
            }
        }
        return List.copyOf(names);
    }

    /**
     * Builds a typed value whose constructor checks how keys go together (and names them); its refusal is
     * one more problem, and {@code fallback} stands in so the remaining keys are still checked.
     */
    public <T> T build(Supplier<T> constructor, Supplier<T> fallback) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | io.micronaut.context.exceptions.ConfigurationException e) {
            problems.add(Objects.requireNonNullElse(e.getMessage(), e.toString()));
            return fallback.get();
        }
    }

    private Duration parseDuration(String key, String value, Duration fallback) {
        try {
            return Targets.parseDuration(value);
        } catch (RuntimeException e) {
            problem(key, "'" + value + "' is not a duration (" + DURATION_HINT + ")");
            return fallback;
        }
    }

    private <T> T check(String key, T value, T fallback, java.util.function.Predicate<T> ok, String rule) {
        if (value == null || ok.test(value)) {
            return value;
        }
        Object given = text(key).orElse(String.valueOf(value));
        problem(key, "'" + given + "' " + rule + " (a duration; " + DURATION_HINT + ")");
        return fallback;
    }

    private static String scalar(Object value) {
        if (value instanceof Collection<?> c) {
            return String.join(",", c.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
