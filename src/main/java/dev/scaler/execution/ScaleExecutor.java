package dev.scaler.execution;

/** Changes the number of running replicas of a service. */
public interface ScaleExecutor {

    /**
     * Scales {@code service} to {@code replicas} running containers. Returns how the attempt ended;
     * does not throw for a failed attempt.
     *
     * @param target name used in logs (the scaling target's configured name)
     */
    PlaybookResult scale(String target, ComposeService service, int replicas);

    /**
     * The same, told how many run now ({@code before}, the caller's own count), so the executor need not count
     * them again. The default ignores it.
     */
    default PlaybookResult scale(String target, ComposeService service, int replicas, int before) {
        return scale(target, service, replicas);
    }
}
