package dev.scaler;

import dev.scaler.backtest.BacktestCommand;
import dev.scaler.policy.ValidateCommand;
import io.micronaut.runtime.Micronaut;

import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.ToIntFunction;

public class Application {

    /**
     * Subcommands that run without the server (no database, no HTTP): name -> entry point taking the
     * remaining arguments and returning the exit code. Anything else starts the service.
     */
    private static final Map<String, ToIntFunction<String[]>> COMMANDS = Map.of(
            "backtest", BacktestCommand::run,
            "validate", ValidateCommand::run);

    public static void main(String[] args) {
        OptionalInt exitCode = runCommand(args);
        if (exitCode.isPresent()) {
            System.exit(exitCode.getAsInt());
        }
        Micronaut.run(Application.class, args);
    }

    /** Runs the subcommand {@code args[0]} names and returns its exit code; empty when it names none. */
    static OptionalInt runCommand(String[] args) {
        ToIntFunction<String[]> command = args.length == 0 ? null : COMMANDS.get(args[0]);
        return command == null ? OptionalInt.empty()
                : OptionalInt.of(command.applyAsInt(Arrays.copyOfRange(args, 1, args.length)));
    }
}
