package dev.scaler.backtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code scaler backtest}: replays a recorded load through one or more policies and writes scores, series
 * and charts. Exit code 0 on success, 2 on a usage or input error (message on stderr), 1 on a bug.
 *
 * <p>Why picocli: it is small, has no dependencies, and gives help, typed repeatable options and usage
 * errors with exit code 2 for free; the next subcommand ({@code validate}) gets the same for a class.
 */
@Command(name = "java -jar scaler.jar backtest", sortOptions = false,
        description = "Replay a recorded load through policies with the production decision code and score them"
                + " with the SPEC elasticity metrics. See docs/BACKTEST.md.")
public final class BacktestCommand implements Callable<Integer> {

    static final int USAGE_ERROR = 2;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--trace", paramLabel = "FILE", description = "trace file to replay")
    Path trace;

    @Option(names = "--format", paramLabel = "worldcup|nasa|csv",
            description = "trace format; guessed from the file name when absent (csv otherwise)")
    String format;

    @Option(names = "--prometheus", paramLabel = "URL", description = "read the load from this Prometheus instead")
    URI prometheus;

    @Option(names = "--query", paramLabel = "PROMQL", description = "with --prometheus: the load, one series")
    String query;

    @Option(names = "--from", paramLabel = "TIME", description = "start (1998-06-30, '1998-06-30 12:00', ISO-8601,"
            + " Unix seconds, now-6h); with a trace: optional window")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "end, exclusive for a trace")
    String to;

    @Option(names = "--step", paramLabel = "DURATION", defaultValue = "1m",
            description = "with --prometheus: query_range step (default ${DEFAULT-VALUE})")
    String step;

    @Option(names = "--prometheus-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "with --prometheus: per request (default ${DEFAULT-VALUE})")
    String prometheusTimeout;

    @Option(names = "--policy", paramLabel = "FILE", required = true,
            description = "policy YAML: target keys, or scaler: targets: NAME: {...}; repeatable")
    List<Path> policies;

    @Option(names = "--capacity", paramLabel = "N", description = "load one replica really carries, for demand;"
            + " default: the policies' capacity-per-replica when they agree")
    Double capacity;

    @Option(names = "--start-delay", paramLabel = "DURATION", defaultValue = "0s",
            description = "from scale-up to serving (default ${DEFAULT-VALUE})")
    String startDelay;

    @Option(names = "--interval", paramLabel = "DURATION", description = "decision interval (default: the trace step)")
    String interval;

    @Option(names = "--initial-replicas", paramLabel = "N", description = "replicas at the start (default: min-replicas)")
    Integer initialReplicas;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the files go (created)")
    Path out;

    @Option(names = "--per-day", description = "also score every full UTC day of the replay on its own"
            + " (per-day.md, per-day.csv)")
    boolean perDay;

    /** With a trace and --from: the trace before the window, the history a forecasting policy reads. */
    private LoadTrace history;

    @Spec
    CommandSpec spec;

    private PrintWriter stdout;
    private PrintWriter stderr;
    private Clock clock = Clock.systemUTC();

    /** Runs the command; the exit code is the result. */
    public static int run(String[] args) {
        return commandLine(new BacktestCommand()).execute(args);
    }

    static CommandLine commandLine(BacktestCommand command) {
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof BacktestInputException) {
                line.getErr().println("backtest: " + e.getMessage());
                return USAGE_ERROR;
            }
            throw e;
        });
        return cli;
    }

    @Override
    public Integer call() throws IOException {
        stdout = spec.commandLine().getOut();
        stderr = spec.commandLine().getErr();
        LoadTrace load = load();
        List<NamedPolicy> named = readPolicies();
        double realCapacity = capacity != null ? capacity : agreedCapacity(named);
        Duration decisionInterval = interval == null ? null : positive("--interval", interval);
        ReplaySettings settings = new ReplaySettings(realCapacity, TimeArgument.duration("--start-delay", startDelay),
                decisionInterval, initialReplicas);
        Files.createDirectories(out);

        String traceName = trace != null ? trace.getFileName().toString() : "Prometheus";
        List<ReplayResult.Score> scores = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        List<ReplayResult> results = new ArrayList<>();
        for (NamedPolicy policy : named) {
            long started = System.nanoTime();
            ReplayResult result = Replay.run(history, load, policy, settings, (i, at, observed, reading, decision) -> { },
                    (done, total) -> {
                        if (total >= 4 * Replay.PROGRESS_EVERY) {
                            stderr.printf(Locale.ROOT, "backtest: %s: %d of %d steps (%d%%)%n", policy.name(), done,
                                    total, 100L * done / total);
                            stderr.flush();
                        }
                    });
            stderr.printf(Locale.ROOT, "backtest: %s: %d steps replayed in %d ms%n", policy.name(), result.steps(),
                    (System.nanoTime() - started) / 1_000_000);
            scores.add(result.score());
            results.add(result);
            written.addAll(Report.writePolicyFiles(out, result, realCapacity, traceName));
        }
        String table = Report.table(scores);
        Path summary = out.resolve("summary.md");
        Files.writeString(summary, "Backtest of " + load.source() + ": " + load.start() + " .. " + load.end() + ", "
                + describe(settings, load) + "\n\n" + table);
        Path scoresCsv = out.resolve("scores.csv");
        Files.writeString(scoresCsv, Report.scoresCsv(scores));
        stdout.print(table);
        stdout.println();
        if (perDay) {
            String days = Report.perDay(results);
            Files.writeString(out.resolve("per-day.md"), days);
            Files.writeString(out.resolve("per-day.csv"), Report.perDayCsv(results));
            stdout.print(days);
            stdout.println();
            written.add(out.resolve("per-day.md"));
            written.add(out.resolve("per-day.csv"));
        }
        stdout.println("wrote " + summary + ", " + scoresCsv);
        written.forEach(p -> stdout.println("wrote " + p));
        stdout.flush();
        return 0;
    }

    private LoadTrace load() {
        if ((trace == null) == (prometheus == null)) {
            throw new BacktestInputException("give either --trace FILE or --prometheus URL (with --query, --from, --to)");
        }
        Instant now = clock.instant();
        Instant start = from == null ? null : TimeArgument.instant("--from", from, now);
        Instant end = to == null ? null : TimeArgument.instant("--to", to, now);
        long began = System.nanoTime();
        LoadTrace load;
        if (trace != null) {
            if (query != null) {
                throw new BacktestInputException("--query goes with --prometheus, not with --trace");
            }
            TraceFormat f = format == null ? TraceFormat.guess(trace) : TraceFormat.parse(format);
            load = f.read(trace);
            if (start != null || end != null) {
                LoadTrace whole = load;
                load = load.window(start, end);
                if (load.start().isAfter(whole.start())) {
                    history = whole.window(null, load.start());
                }
            }
        } else {
            if (query == null || start == null || end == null) {
                throw new BacktestInputException("--prometheus needs --query, --from and --to");
            }
            load = new PrometheusRange(prometheus, positive("--prometheus-timeout", prometheusTimeout))
                    .read(query, start, end, positive("--step", step));
        }
        stderr.printf(Locale.ROOT, "backtest: read %d steps of %s from %s (%s .. %s) in %d ms%n", load.size(),
                load.step(), load.source(), load.start(), load.end(), (System.nanoTime() - began) / 1_000_000);
        return load;
    }

    private List<NamedPolicy> readPolicies() {
        List<NamedPolicy> all = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : policies) {
            for (NamedPolicy p : PolicyFile.read(file)) {
                if (!names.add(p.name())) {
                    throw new BacktestInputException("--policy " + file + ": a policy named " + p.name()
                            + " was given before; names must differ (they name the output files)");
                }
                all.add(p);
            }
        }
        return all;
    }

    private static double agreedCapacity(List<NamedPolicy> named) {
        double first = named.get(0).policy().capacityPerReplica();
        for (NamedPolicy p : named) {
            if (p.policy().capacityPerReplica() != first) {
                throw new BacktestInputException("the policies' capacity-per-replica differ (" + named.get(0).name()
                        + ": " + first + ", " + p.name() + ": " + p.policy().capacityPerReplica() + "); give --capacity,"
                        + " the load one replica really carries, so all are scored against the same demand");
            }
        }
        return first;
    }

    private static Duration positive(String option, String text) {
        Duration d = TimeArgument.duration(option, text);
        if (d.isZero()) {
            throw new BacktestInputException(option + ": must be more than 0, got '" + text + "'");
        }
        return d;
    }

    private static String describe(ReplaySettings s, LoadTrace load) {
        return String.format(Locale.ROOT, "capacity %s per replica, start delay %s, decision interval %s",
                s.capacityPerReplica(), s.startDelay(), s.interval() == null ? load.step() : s.interval());
    }
}
