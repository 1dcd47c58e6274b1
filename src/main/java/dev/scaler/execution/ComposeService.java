package dev.scaler.execution;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A docker compose service that Scaler scales.
 *
 * @param projectName      compose project name (-p); lowercase, as compose v2 requires: compose v1
 *                         would silently rewrite other names, and the label-based replica count
 *                         would then look for the wrong project
 * @param projectDirectory directory compose runs in
 * @param composeFiles     files passed with -f, in order; empty means compose's default lookup
 */
public record ComposeService(String projectName, Path projectDirectory, List<Path> composeFiles, String service) {

    private static final Pattern PROJECT_NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]*$");
    private static final Pattern SERVICE_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");

    public ComposeService {
        check("projectName", projectName, PROJECT_NAME);
        check("service", service, SERVICE_NAME);
        Objects.requireNonNull(projectDirectory, "projectDirectory must not be null");
        composeFiles = List.copyOf(Objects.requireNonNull(composeFiles, "composeFiles must not be null"));
    }

    /** What this service's target owns: the project's service on Scaler's Docker engine. */
    public ServiceKey key() {
        return ServiceKey.compose(projectName, service);
    }

    private static void check(String field, String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must match " + pattern.pattern() + ", got '" + value + "'");
        }
    }
}
