package dev.scaler.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds; fails with a description of the last value seen. */
public final class Await {

    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, () -> condition.getAsBoolean() ? "" : null, s -> "");
    }

    public static <T> T until(String what, Duration timeout, Supplier<T> value, java.util.function.Function<T, String> describe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = value.get();
                if (last != null) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            sleep(250);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what
                + (lastError == null ? "" : "; last error: " + lastError), lastError);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
