package dev.scaler;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.scaler.testing.Await;

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

    /**
     * A reader of stdout that stops reading (a full pipe) does not hold up the service's threads; the lines that
     * did not fit are counted and the count is written once the reader reads again.
     */
    @Test
    void aStuckStdoutDoesNotHoldUpTheThreadsThatLogAndTheDroppedLinesAreCounted(@TempDir Path dir) throws Exception {
        Path done = dir.resolve("done");
        // nobody reads the pipe: once its 64 KB are full, a write to stdout blocks until someone does
        Process writer = writer("stuck", done.toString()).start();
        try {
            Await.until("the writer logged three queues' worth of lines past a full pipe", Duration.ofSeconds(60),
                    () -> Files.exists(done));
            List<String> lines = new ArrayList<>();
            Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(
                    writer.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(lines::add));
            reader.start();
            Files.writeString(dir.resolve("done.go"), "go");
            assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            assertThat(writer.exitValue()).isZero();

            long written = lines.stream().filter(l -> l.contains(" line ")).count();
            int notice = indexOf(lines, "line(s) dropped: the queue of " + LogConfigurator.QUEUE_LINES + " lines was full");
            assertThat(notice).as("a warning with the number dropped").isNotNegative();
            long dropped = Long.parseLong(lines.get(notice).replaceAll(".* log: (\\d+) line\\(s\\) dropped.*", "$1"));
            assertThat(dropped).isPositive();
            assertThat(written + dropped).as("every line written or counted").isEqualTo(LINES);
            assertThat(indexOf(lines, "after the stall")).isGreaterThan(notice);
        } finally {
            writer.destroyForcibly();
            writer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** Every queued line is written before the process ends: at the end of a shutdown and before an exit. */
    @Test
    void theQueuedLinesAreWrittenBeforeTheProcessEnds(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.log");
        Process writer = writer("exit", out.toString()).redirectOutput(out.toFile()).start();
        assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.exitValue()).isEqualTo(3);
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines.stream().filter(l -> l.contains(" line ")).count()).isEqualTo(QUEUED);
        assertThat(lines.get(lines.size() - 1)).contains("INFO  [main] d.s.LogConfiguratorTest last line");
    }

    /** Three queues' worth, past a full pipe. */
    static final int LINES = 3 * LogConfigurator.QUEUE_LINES;
    /** Fewer than the queue holds: none may be dropped. */
    static final int QUEUED = LogConfigurator.QUEUE_LINES / 2;

    static ProcessBuilder writer(String mode, String path) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), mode, path));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    /** Logs lines as the service logs them, then says so (stuck) or exits after writeSync (exit). */
    public static final class Writer {
        public static void main(String[] args) throws IOException, InterruptedException {
            org.slf4j.Logger log = LoggerFactory.getLogger(LogConfiguratorTest.class);
            LogConfigurator.writeAsync();
            for (int i = 0, n = args[0].equals("stuck") ? LINES : QUEUED; i < n; i++) {
                log.info("tick=t{} target=web line {} of a burst, long enough to fill a pipe soon: {}", i, i,
                        "x".repeat(100));
            }
            if (args[0].equals("stuck")) {
                Files.writeString(Path.of(args[1]), "done");
                Path go = Path.of(args[1] + ".go");
                AsyncAppender queue = (AsyncAppender) ((LoggerContext) LoggerFactory.getILoggerFactory())
                        .getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
                for (int i = 0; i < 600 && (!Files.exists(go) || queue.getNumberOfElementsInQueue() > 0); i++) {
                    Thread.sleep(100); // until the reader reads again and the queue has been written out
                }
                log.info("after the stall");
                LogConfigurator.writeSync();
                System.exit(0);
            }
            log.info("last line");
            LogConfigurator.writeSync();
            System.exit(3);
        }
    }
}
