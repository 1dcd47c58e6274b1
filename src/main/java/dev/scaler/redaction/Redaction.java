package dev.scaler.redaction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What Scaler never shows, wherever a text leaves it (the status page, the API's reads, {@code /health}'s
 * details, the Prometheus URL in stored reasons, the message it stops with): the credentials of a URL
 * ({@code http://user:pass@host} becomes {@code http://***@host}), a password or token passed as a URL or JDBC
 * parameter ({@code ?password=x}, {@code &access_token=x}, H2's {@code ;PASSWORD=x}) and the value of every
 * configured secret.
 *
 * <p>One place for all of them because every one of those texts can quote the others: a reason quotes the
 * Prometheus URL, a health detail is named by the JDBC URL, a driver's message or a playbook's output can quote
 * a URL.
 */
public final class Redaction {

    public static final String HIDDEN = "***";

    /** Only the URL forms; for texts made before the configuration is known, and for URLs alone. */
    public static final Redaction URL_SECRETS = new Redaction(List.of());

    // the user info runs to the authority's last '@', so a password with a raw '@' in it is hidden whole
    private static final Pattern URL_CREDENTIALS = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/\\s?#]*@");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|secret|token|access_token|api_key|apikey)=)[^&;#\\s]*");

    // a whole value meant as one URL: its user info may lack the scheme or hold a space (which is why it is bad)
    private static final Pattern VALUE_CREDENTIALS = Pattern.compile("^((?:[A-Za-z][A-Za-z0-9+.-]*://)?)[^/?#]*@");

    private final List<String> secrets;

    private Redaction(List<String> secrets) {
        this.secrets = secrets;
    }

    /** URL forms and these secret values; null and empty values are ignored. */
    public static Redaction of(Collection<String> secrets) {
        List<String> s = new ArrayList<>(secrets.stream().filter(Objects::nonNull).filter(v -> !v.isEmpty())
                .distinct().toList());
        // the longest first, so a secret that contains another is hidden whole
        s.sort(Comparator.comparingInt(String::length).reversed());
        return new Redaction(List.copyOf(s));
    }

    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = URL_CREDENTIALS.matcher(text).replaceAll("$1" + HIDDEN + "@");
        out = SECRET_PARAMETER.matcher(out).replaceAll("$1" + HIDDEN);
        for (String secret : secrets) {
            out = out.replace(secret, HIDDEN);
        }
        return out;
    }

    /**
     * A configured value meant as a URL, as an error about it quotes it: the URL forms hidden, and also credentials
     * the value cannot be parsed with ({@code user:pass@prom:9090} without a scheme, a space in the password).
     */
    public static String urlValue(String value) {
        return value == null ? null
                : URL_SECRETS.apply(VALUE_CREDENTIALS.matcher(value).replaceFirst("$1" + HIDDEN + "@"));
    }
}
