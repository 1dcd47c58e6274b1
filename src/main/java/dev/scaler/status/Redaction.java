package dev.scaler.status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the status page must never show: the credentials of a URL ({@code http://user:pass@host} becomes
 * {@code http://***@host}; a reason or a metric's detail can quote the Prometheus URL) and the value of every
 * configured secret (API token and password, Prometheus password and bearer token), wherever it appears.
 */
final class Redaction {

    static final String HIDDEN = "***";
    private static final Pattern URL_CREDENTIALS = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/\\s@]+@");

    private final List<String> secrets;

    Redaction(List<String> secrets) {
        List<String> s = new ArrayList<>(secrets.stream().filter(Objects::nonNull).filter(v -> !v.isEmpty()).toList());
        // the longest first, so a secret that contains another is hidden whole
        s.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(s);
    }

    String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = URL_CREDENTIALS.matcher(text).replaceAll("$1" + HIDDEN + "@");
        for (String secret : secrets) {
            out = out.replace(secret, HIDDEN);
        }
        return out;
    }
}
