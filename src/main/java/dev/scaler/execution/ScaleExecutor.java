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
}
