package dev.scaler.execution;

/** STUB until the ansible-exec branch merges. */
public interface ScaleExecutor {
    PlaybookResult scale(String target, ComposeService service, int replicas);
}
