package dev.scaler.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an unreachable host's message says happened, in a few words: Ansible wraps ssh's own error lines in
 * its {@code UNREACHABLE!} result, and those lines say whether the host key changed or is unknown, the
 * login or the connection was refused, the connection timed out, or the address did not resolve or route.
 * Pure: it reads text, it runs nothing.
 */
public final class SshFailure {

    public static final String HOST_KEY_CHANGED = "host key changed";
    public static final String HOST_KEY_UNKNOWN = "host key unknown";
    public static final String HOST_KEY_NOT_VERIFIED = "host key not verified";
    public static final String LOGIN_REFUSED = "login refused";
    public static final String CONNECTION_REFUSED = "connection refused";
    public static final String TIMEOUT = "timeout";
    public static final String NO_ROUTE = "no route";
    public static final String NAME_NOT_RESOLVED = "name not resolved";
    public static final String CONNECTION_CLOSED = "connection closed";
    /**
     * ssh ended before Ansible could send it anything, and Ansible kept only {@code [Errno 32] Broken pipe},
     * not ssh's reason. Ansible waits 1 ms for ssh to exit before it drops ssh's words, a race a busy controller
     * loses now and then whatever the reason (a refused connection, an unresolved name, a changed host key).
     */
    public static final String FAILED_AT_ONCE = "connection failed at once";

    /** Phrases of ssh (lower case) and what they mean, first match wins: a changed key also fails verification. */
    private static final List<String[]> PHRASES = List.of(
            new String[] {"remote host identification has changed", HOST_KEY_CHANGED},
            new String[] {"has changed and you have requested strict checking", HOST_KEY_CHANGED},
            new String[] {"host key is known for", HOST_KEY_UNKNOWN},
            new String[] {"authenticity of host", HOST_KEY_UNKNOWN},
            new String[] {"host key verification failed", HOST_KEY_NOT_VERIFIED},
            new String[] {"permission denied", LOGIN_REFUSED},
            new String[] {"too many authentication failures", LOGIN_REFUSED},
            new String[] {"connection refused", CONNECTION_REFUSED},
            new String[] {"timed out", TIMEOUT},
            new String[] {"timeout", TIMEOUT},
            new String[] {"no route to host", NO_ROUTE},
            new String[] {"network is unreachable", NO_ROUTE},
            new String[] {"could not resolve hostname", NAME_NOT_RESOLVED},
            new String[] {"name or service not known", NAME_NOT_RESOLVED},
            new String[] {"temporary failure in name resolution", NAME_NOT_RESOLVED},
            new String[] {"nodename nor servname", NAME_NOT_RESOLVED},
            new String[] {"connection closed by", CONNECTION_CLOSED},
            new String[] {"connection reset", CONNECTION_CLOSED},
            new String[] {"[errno 32] broken pipe", FAILED_AT_ONCE});
    /** What Ansible puts before ssh's own lines. */
    private static final List<String> ANSIBLE_PREFIXES = List.of("can be reached over ssh: ",
            "Failed to connect to the host via ssh: ");
    private static final int EVIDENCE_LINES = 2;

    private SshFailure() {
    }

    /** The kind of failure ({@link #HOST_KEY_CHANGED}, ...), or empty when the message names none. */
    public static String kind(String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        for (String[] phrase : PHRASES) {
            if (text.contains(phrase[0])) {
                return phrase[1];
            }
        }
        return "";
    }

    /**
     * ssh's own last lines from an Ansible fatal message, without Ansible's wrapping, the warning banner and
     * the JSON escapes: what an operator reads to act on it. The whole message when it has no ssh part.
     */
    public static String evidence(String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        String text = message;
        for (String prefix : ANSIBLE_PREFIXES) {
            int i = text.indexOf(prefix);
            if (i >= 0) {
                text = text.substring(i + prefix.length());
                int end = text.indexOf("\", \"");
                text = end < 0 ? text : text.substring(0, end);
                break;
            }
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.replace("\\r", "").replace("\\n", "\n").replace("\\\"", "\"").split("[\r\n]+")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("@")) {
                lines.add(l);
            }
        }
        List<String> last = lines.subList(Math.max(0, lines.size() - EVIDENCE_LINES), lines.size());
        String joined = String.join(" ", last);
        return joined.endsWith("\"}") ? joined.substring(0, joined.length() - 2) : joined;
    }

    /** {@code unreachable (host key changed)}, or {@code unreachable} when the message names no known failure. */
    public static String problem(String message) {
        String kind = kind(message);
        return kind.isEmpty() ? "unreachable" : "unreachable (" + kind + ")";
    }

    /** {@code unreachable (host key changed): Host key for ... Host key verification failed.} */
    public static String describe(String message) {
        String evidence = evidence(message);
        return evidence.isEmpty() ? problem(message) : problem(message) + ": " + evidence;
    }
}
