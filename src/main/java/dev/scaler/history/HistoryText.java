package dev.scaler.history;

/**
 * Fits free text into its column so a long reason or a huge playbook output can never fail the
 * insert that records it: losing some text is better than losing the decision.
 */
final class HistoryText {

    static final int REASON_MAX = 2000;
    static final int DETAIL_MAX = 2000;
    static final int OUTPUT_TAIL_MAX = 65536;

    private HistoryText() {
    }

    /** Keeps the beginning: the first words of a reason say what happened. */
    static String head(String text, int max) {
        if (text == null) {
            return null;
        }
        String clean = withoutNul(text);
        if (clean.length() <= max) {
            return clean;
        }
        int end = max;
        // never split a surrogate pair: PostgreSQL would store the lone half as '?' or reject it
        if (Character.isHighSurrogate(clean.charAt(end - 1))) {
            end--;
        }
        return clean.substring(0, end);
    }

    /** Keeps the end: a playbook's last lines hold the failure and the recap. */
    static String tail(String text, int max) {
        if (text == null) {
            return null;
        }
        String clean = withoutNul(text);
        if (clean.length() <= max) {
            return clean;
        }
        int start = clean.length() - max;
        if (Character.isLowSurrogate(clean.charAt(start))) {
            start++;
        }
        return clean.substring(start);
    }

    // PostgreSQL text cannot hold U+0000, and a binary byte in command output must not lose the row
    private static String withoutNul(String text) {
        return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }
}
