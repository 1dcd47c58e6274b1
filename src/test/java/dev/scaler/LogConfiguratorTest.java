package dev.scaler;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The logging set up in code is what logback.xml said: stdout, one pattern, dev.scaler at INFO, the rest WARN. */
class LogConfiguratorTest {

    @Test
    void stdoutWithThePatternScalerAtInfoTheRestAtWarn() {
        LoggerContext context = new LoggerContext();
        LogConfigurator configurator = new LogConfigurator();
        configurator.setContext(context);

        Configurator.ExecutionStatus status = configurator.configure(context);

        assertThat(status).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        ConsoleAppender<?> stdout = (ConsoleAppender<?>) root.getAppender("STDOUT");
        assertThat(stdout.isStarted()).isTrue();
        assertThat(((PatternLayoutEncoder) stdout.getEncoder()).getPattern())
                .isEqualTo("%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level [%thread] %logger{20} %msg%n");
        if (System.getenv("SCALER_LOG_LEVEL") == null && System.getProperty("SCALER_LOG_LEVEL") == null) {
            assertThat(context.getLogger("dev.scaler").getLevel()).isEqualTo(Level.INFO);
        }
        assertThat(context.getLogger("io.micronaut").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void theLevelReadsAsLogbackReadIt() {
        assertThat(LogConfigurator.level(null)).isEqualTo(Level.INFO);
        assertThat(LogConfigurator.level("")).isEqualTo(Level.INFO);
        assertThat(LogConfigurator.level("warn")).isEqualTo(Level.WARN);
        assertThat(LogConfigurator.level("TRACE")).isEqualTo(Level.TRACE);
        assertThat(LogConfigurator.level("loud")).isEqualTo(Level.DEBUG);
    }
}
