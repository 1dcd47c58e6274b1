package dev.scaler.forecast;

import java.util.List;

/** Bad forecast settings; every problem names its key and value. */
public final class InvalidForecastSettingsException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidForecastSettingsException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
