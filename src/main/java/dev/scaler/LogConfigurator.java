package dev.scaler;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Scaler's logging, set up in code: one line per event on stdout, {@code dev.scaler} at
 * {@code SCALER_LOG_LEVEL} (a system property or the environment; default INFO), everything else at WARN.
 * What {@code logback.xml} said, without logback's XML configurator, which loads about 500 classes and an
 * XML parser at every start (issue 11).
 * Found by logback through {@code META-INF/services}. {@code -Dlogback.configurationFile=FILE} still
 * configures logback from that file instead.
 *
 * <p>The service writes its lines from a queue ({@link #writeAsync()}), so that a tick of many targets or a
 * stuck reader of stdout (a full pipe, a blocking container log driver) never holds up the loop or the HTTP
 * threads. The queue holds {@value #QUEUE_LINES} lines and drops none by level; when it is full, new lines are
 * dropped rather than stopping the loop (the history keeps every decision and action regardless), and the next line
 * that fits is preceded by a warning with the number dropped. At the end of
 * shutdown, and before an exit on a fault, {@link #writeSync()} writes what is queued and goes back to writing
 * each line as it comes, so the last lines are not lost. The subcommands write synchronously throughout.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level [%thread] %logger{20} %msg%n";
    static final int QUEUE_LINES = 8192;
    private static final String STDOUT = "STDOUT";
    private static final String ASYNC = "ASYNC";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        ConsoleAppender<ILoggingEvent> stdout = stdout(context);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stdout);
        context.getLogger("dev.scaler").setLevel(level(System.getProperty("SCALER_LOG_LEVEL",
                System.getenv("SCALER_LOG_LEVEL"))));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** From now on lines are queued and written by logback's worker thread; idempotent. */
    public static synchronized void writeAsync() {
        Logger root = root();
        if (System.getProperty("logback.configurationFile") != null || root == null
                || !(root.getAppender(STDOUT) instanceof ConsoleAppender<ILoggingEvent> stdout)) {
            return; // configured from a file, or already queued
        }
        CountingQueue async = new CountingQueue();
        async.setContext(root.getLoggerContext());
        async.setName(ASYNC);
        async.setQueueSize(QUEUE_LINES);
        async.setDiscardingThreshold(0); // no line dropped for its level while there is room
        async.setNeverBlock(true);
        async.setMaxFlushTime(2000);
        async.addAppender(stdout);
        async.start();
        root.addAppender(async);
        root.detachAppender(stdout);
    }

    /** Writes every queued line (waiting up to 2 s), then writes each line as it comes again; idempotent. */
    public static synchronized void writeSync() {
        Logger root = root();
        if (root == null || !(root.getAppender(ASYNC) instanceof CountingQueue async)) {
            return;
        }
        // every line kept: new lines go straight to a new stdout appender while the queue's worker writes out
        // what is queued through its own, which it stops when done
        root.addAppender(stdout(root.getLoggerContext()));
        root.detachAppender(async);
        async.stop();
        long lost = async.takeDropped();
        if (lost > 0) {
            root.getLoggerContext().getLogger(LogConfigurator.class).warn(CountingQueue.NOTICE, lost, QUEUE_LINES);
        }
    }

    /**
     * logback's queue, counting the lines it drops when full; the first line that fits after a drop is preceded by
     * a warning with the count. Exact with one thread logging; with several, a line that loses a race for the
     * last free place is dropped uncounted.
     */
    static final class CountingQueue extends AsyncAppender {
        static final String NOTICE = "log: {} line(s) dropped: the queue of {} lines was full (stdout not read fast enough)";
        private final AtomicLong dropped = new AtomicLong();

        @Override
        protected void append(ILoggingEvent event) {
            int room = getRemainingCapacity();
            long lost = dropped.get();
            if (room == 0 || (lost > 0 && room < 2)) {
                dropped.incrementAndGet();
                return;
            }
            if (lost > 0) {
                dropped.addAndGet(-lost);
                Logger logger = ((LoggerContext) getContext()).getLogger(LogConfigurator.class);
                super.append(new LoggingEvent(Logger.class.getName(), logger, Level.WARN, NOTICE, null,
                        new Object[] {lost, QUEUE_LINES}));
            }
            super.append(event);
        }

        long takeDropped() {
            return dropped.getAndSet(0);
        }
    }

    private static ConsoleAppender<ILoggingEvent> stdout(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName(STDOUT);
        stdout.setEncoder(encoder);
        stdout.start();
        return stdout;
    }

    private static Logger root() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                ? context.getLogger(Logger.ROOT_LOGGER_NAME) : null;
    }

    /** As logback read {@code level="${SCALER_LOG_LEVEL:-INFO}"}: a name it does not know is DEBUG. */
    static Level level(String name) {
        return name == null || name.isEmpty() ? Level.INFO : Level.toLevel(name, Level.DEBUG);
    }
}
