package dev.scaler;

import java.util.OptionalInt;

/** Test access to {@link Application#runCommand} from other packages. */
public final class ApplicationCommands {

    private ApplicationCommands() {
    }

    public static OptionalInt run(String... args) {
        return Application.runCommand(args);
    }
}
