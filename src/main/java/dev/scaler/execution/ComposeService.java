package dev.scaler.execution;

import java.nio.file.Path;
import java.util.List;

/** STUB until the ansible-exec branch merges. */
public record ComposeService(String projectName, Path projectDirectory, List<Path> composeFiles, String service) {
}
