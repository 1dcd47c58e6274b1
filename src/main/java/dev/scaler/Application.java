package dev.scaler;

import dev.scaler.backtest.BacktestCommand;
import dev.scaler.history.HistoryUnavailableException;
import dev.scaler.history.OpenAfterStart;
import dev.scaler.policy.ValidateCommand;
import dev.scaler.loop.ScalingLoop;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.ToIntFunction;

public class Application {

    /**
     * Subcommands that run without the server (no database, no HTTP): name -> entry point taking the
     * remaining arguments and returning the exit code. Anything else starts the service.
     */
    private static final Map<String, ToIntFunction<String[]>> COMMANDS = Map.of(
            "backtest", BacktestCommand::run,
            "validate", ValidateCommand::run);

    /**
     * The subcommands' names. scripts/run.sh and the image's entry point start these without the service's JIT
     * threshold (README, "Memory and start-up"); JvmFlagsTest holds both to this list.
     */
    public static Set<String> commandNames() {
        return COMMANDS.keySet();
    }

    public static void main(String[] args) {
        OptionalInt exitCode = runCommand(args);
        if (exitCode.isPresent()) {
            System.exit(exitCode.getAsInt());
        }
        start(args);
    }

    /**
     * Starts the service with Scaler's own shutdown hook instead of Micronaut's, whose hook stops the HTTP
     * server first: on SIGTERM the loop is drained first (readiness DOWN and still answering, no new
     * evaluation, the playbooks in flight finish within the grace or are killed and recorded INTERRUPTED),
     * then the HTTP server stops, and the database closes last with the context.
     */
    static ApplicationContext start(String[] args) {
        // the history (schema migration, recovery) opens after the HTTP server answers (issue 11, HistoryReadiness);
        // so that the pool does not open its first connection while the context starts either: -1 makes none
        ApplicationContext context = Micronaut.build(args).mainClass(Application.class)
                .singletons(new OpenAfterStart())
                .properties(Map.of("datasources.default.initialization-fail-timeout", -1))
                .build();
        context.start();
        EmbeddedApplication<?> application = context.getBean(EmbeddedApplication.class);
        application.start();
        // lines written from a queue from here on; a failure to start above was written as it came
        LogConfigurator.writeAsync();
        context.getBean(ScalingLoop.class).startAfterServer().whenComplete((ready, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof HistoryUnavailableException unavailable) {
                    // the message holds the driver's reasons; its stack says nothing more
                    LoggerFactory.getLogger(Application.class).error("history could not be opened, stopping: {}",
                            unavailable.getMessage());
                } else {
                    LoggerFactory.getLogger(Application.class).error("history could not be opened, stopping: {}",
                            cause.toString(), cause);
                }
                LogConfigurator.writeSync();
                System.exit(1);
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                context.getBean(ScalingLoop.class).drain("signal");
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(Application.class).error("shutdown: drain failed: {}", e.toString(), e);
            } finally {
                try (context) {
                    application.stop();
                } finally {
                    LogConfigurator.writeSync(); // the queued lines, up to the last one of the shutdown
                }
            }
        }, "scaler-shutdown"));
        LoggerFactory.getLogger(Application.class).info("Scaler started: {}",
                application instanceof EmbeddedServer server ? server.getURL() : "no server");
        return context;
    }

    /** Runs the subcommand {@code args[0]} names and returns its exit code; empty when it names none. */
    static OptionalInt runCommand(String[] args) {
        ToIntFunction<String[]> command = args.length == 0 ? null : COMMANDS.get(args[0]);
        return command == null ? OptionalInt.empty()
                : OptionalInt.of(command.applyAsInt(Arrays.copyOfRange(args, 1, args.length)));
    }
}
