package dev.scaler;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Scaler's logging, set up in code: one line per event on stdout, {@code dev.scaler} at
 * {@code SCALER_LOG_LEVEL} (a system property or the environment; default INFO), everything else at WARN.
 * What {@code logback.xml} said, without logback's XML configurator, which loads about 500 classes and an
 * XML parser at every start (issue 11).
 * Found by logback through {@code META-INF/services}. {@code -Dlogback.configurationFile=FILE} still
 * configures logback from that file instead.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level [%thread] %logger{20} %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(encoder);
        stdout.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stdout);
        context.getLogger("dev.scaler").setLevel(level(System.getProperty("SCALER_LOG_LEVEL",
                System.getenv("SCALER_LOG_LEVEL"))));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** As logback read {@code level="${SCALER_LOG_LEVEL:-INFO}"}: a name it does not know is DEBUG. */
    static Level level(String name) {
        return name == null || name.isEmpty() ? Level.INFO : Level.toLevel(name, Level.DEBUG);
    }
}
