package dev.scaler.history;

import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whether the history is ready: its schema migrated and what a previous Scaler left running closed (the loop's
 * start, {@code loop.ScalingLoop}). The service started by its {@code main} answers HTTP before that (issue 11:
 * the first answer within 2 s); until then {@code /health} says the history is starting, the API waits for it
 * and the loop neither ticks nor acts. In a context started otherwise (tests) it is ready before the context's
 * start returns, as it always was.
 */
@Singleton
public class HistoryReadiness {

    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    public boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** Completes when the history is ready, exceptionally when it could not be opened. */
    public CompletionStage<Void> whenReady() {
        return ready.minimalCompletionStage();
    }

    /** What {@code /health} says before the history is ready: still opening, or why it failed. */
    public String state() {
        if (isReady()) {
            return "ready";
        }
        if (ready.isCompletedExceptionally()) {
            try {
                ready.join();
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return "failed: " + cause;
            }
        }
        return "starting: migrating the schema and closing interrupted actions";
    }

    public void markReady() {
        ready.complete(null);
    }

    public void markFailed(Throwable cause) {
        ready.completeExceptionally(cause);
    }
}
