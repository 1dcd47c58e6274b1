package dev.scaler.policy;

import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/**
 * The state of the policy file as the API shows it: which file, and the errors of the version that was
 * rejected last (empty while the running version is the file's current content).
 */
@Singleton
public class PolicyStatus {

    /** One immutable view, replaced as a whole. */
    public record State(String source, List<String> errors, Instant checkedAt) {
        public State {
            errors = List.copyOf(errors);
        }
    }

    private volatile State state = new State(null, List.of(), null);

    public State get() {
        return state;
    }

    void set(State next) {
        state = next;
    }

    /** The rejected version's errors, one per line, or null while the file's current content runs. */
    public String error() {
        List<String> errors = state.errors();
        return errors.isEmpty() ? null : String.join("\n", errors);
    }
}
