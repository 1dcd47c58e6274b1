package dev.scaler.observation;

/** The replica count could not be read; the message names the project, the service and the cause. */
public class ObservationException extends Exception {

    public ObservationException(String composeProject, String service, Throwable cause) {
        super("could not count running replicas of service '" + service + "' in compose project '"
                + composeProject + "': " + describe(cause), cause);
    }

    /** For observations other than a compose service's (a swarm service): the message says what was observed. */
    public ObservationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The innermost cause's class and message, which say what really went wrong. */
    public static String describe(Throwable cause) {
        // docker-java wraps connection failures in RuntimeExceptions; the innermost message says what happened.
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
