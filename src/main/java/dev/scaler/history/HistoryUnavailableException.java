package dev.scaler.history;

import dev.scaler.redaction.Redaction;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The history's database could not be opened at start: its URL, the driver's own words (a corrupted H2 file, a
 * refused connection, a wrong password) and what caused them, instead of only the pool's "connection is not
 * available" after its timeout. The service stops with this message (Application) and touches nothing in the file.
 */
public final class HistoryUnavailableException extends RuntimeException {

    /** H2's error code for a file it cannot read (org.h2.api.ErrorCode.FILE_CORRUPTED_1). */
    static final int H2_FILE_CORRUPTED = 90030;

    HistoryUnavailableException(String dataSource, String url, SQLException failure) {
        // the driver's words can quote the URL too
        super(Redaction.URL_SECRETS.apply("history data source " + dataSource + " (" + (url == null ? "no url" : url)
                + ") could not be opened: " + reasons(failure) + hint(failure)), failure);
    }

    /** What to do next, where the driver's words alone do not say it. */
    static String hint(Throwable failure) {
        boolean corrupted = chain(failure).stream()
                .anyMatch(t -> t instanceof SQLException sql && sql.getErrorCode() == H2_FILE_CORRUPTED);
        return corrupted ? ". Scaler wrote nothing to the file; docs/history.md (\"a file it cannot open\") says how"
                + " to recover it or to move it aside and start a new history" : "";
    }

    /** The failure and its causes, outermost first, each once. */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /**
     * The driver's words first, then each cause below them, then the pool's: a pool (Hikari) wraps the driver's
     * last failure in its own timeout, which says only that it waited.
     */
    static String reasons(Throwable failure) {
        List<Throwable> chain = chain(failure);
        if (chain.size() > 1) {
            chain.add(chain.remove(0));
        }
        Set<String> lines = new LinkedHashSet<>();
        for (Throwable t : chain) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName()
                    : t.getMessage().lines().findFirst().orElse("").strip();
            if (!message.isEmpty()) {
                lines.add(message);
            }
        }
        return String.join("; ", lines);
    }
}
