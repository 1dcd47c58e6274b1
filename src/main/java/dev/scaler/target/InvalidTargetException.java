package dev.scaler.target;

import io.micronaut.context.exceptions.ConfigurationException;

import java.util.List;

/** A target's configuration is wrong; the message lists every problem, one per line, each with its key. */
public class InvalidTargetException extends ConfigurationException {

    private final List<String> problems;

    public InvalidTargetException(List<String> problems) {
        super("Invalid target configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
