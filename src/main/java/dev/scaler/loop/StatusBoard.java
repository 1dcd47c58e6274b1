package dev.scaler.loop;

import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** The latest status of every target and the time the loop last completed an evaluation. */
@Singleton
public class StatusBoard {

    private final Map<String, TargetStatus> statuses = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> lastCompletion = new AtomicReference<>();

    void completed(TargetStatus status) {
        statuses.put(status.target(), status);
        lastCompletion.accumulateAndGet(status.evaluatedAt(), (a, b) -> a == null || b.isAfter(a) ? b : a);
    }

    /** Marks a pass over zero targets as complete, so an idle scaler still reports healthy. */
    void completedEmptyPass(Instant at) {
        lastCompletion.accumulateAndGet(at, (a, b) -> a == null || b.isAfter(a) ? b : a);
    }

    public Optional<TargetStatus> get(String target) {
        return Optional.ofNullable(statuses.get(target));
    }

    public Optional<Instant> lastCompletion() {
        return Optional.ofNullable(lastCompletion.get());
    }
}
