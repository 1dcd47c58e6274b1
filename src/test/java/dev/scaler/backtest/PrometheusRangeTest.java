package dev.scaler.backtest;

import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.TestExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Replays a load recorded by a real Prometheus through {@code query_range}: a test exporter serves a
 * gauge that steps 100 -> 300 -> 50 while Prometheus scrapes it every second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusRangeTest {

    private TestExporter exporter;
    private PrometheusProcess prometheus;
    private Instant recordedFrom;
    private Instant recordedTo;

    @BeforeAll
    void record() throws InterruptedException {
        RealParts.requireCommand("prometheus");
        exporter = TestExporter.start();
        prometheus = PrometheusProcess.start(List.of(exporter.address()));
        exporter.set("webapp_load", 100);
        exporter.set("webapp_multi", Map.of("instance_name", "a"), 1);
        exporter.set("webapp_multi", Map.of("instance_name", "b"), 2);
        prometheus.awaitData("webapp_load", Duration.ofSeconds(30));
        // the next whole second: the first sample is in by then, so every step of the range has data
        recordedFrom = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Thread.sleep(4000);
        exporter.set("webapp_load", 300);
        Thread.sleep(4000);
        exporter.set("webapp_load", 50);
        Thread.sleep(4000);
        recordedTo = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @AfterAll
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    @Test
    void theRangeComesBackOnItsGridWithTheValuesServed() {
        LoadTrace trace = new PrometheusRange(prometheus.url(), Duration.ofSeconds(10))
                .read("webapp_load", recordedFrom, recordedTo, Duration.ofSeconds(1));
        assertThat(trace.start()).isEqualTo(recordedFrom);
        assertThat(trace.size()).isEqualTo((int) Duration.between(recordedFrom, recordedTo).toSeconds() + 1);
        assertThat(trace.values()).doesNotContain(Double.NaN);
        assertThat(Arrays.stream(trace.values()).distinct().toArray()).containsExactly(100, 300, 50);
        assertThat(trace.value(0)).isEqualTo(100);
        assertThat(trace.value(trace.size() - 1)).isEqualTo(50);
    }

    @Test
    void aLongRangeIsFetchedInChunksBelowPrometheusPointLimit() {
        // 12 s at 1 ms is more than 11,000 points: Prometheus refuses that in one query
        Instant to = recordedFrom.plusSeconds(12);
        LoadTrace trace = new PrometheusRange(prometheus.url(), Duration.ofSeconds(10))
                .read("webapp_load", recordedFrom, to, Duration.ofMillis(1));
        assertThat(trace.size()).isEqualTo(12_001).isGreaterThan(PrometheusRange.POINTS_PER_REQUEST);
        assertThat(trace.values()).doesNotContain(Double.NaN);
        assertThat(trace.value(PrometheusRange.POINTS_PER_REQUEST)).isIn(300.0, 50.0);
    }

    @Test
    void aQueryWithSeveralSeriesOrAnErrorIsRefusedWithPrometheusWords() {
        PrometheusRange range = new PrometheusRange(prometheus.url(), Duration.ofSeconds(10));
        assertThatThrownBy(() -> range.read("webapp_multi", recordedFrom, recordedTo, Duration.ofSeconds(1)))
                .isInstanceOf(BacktestInputException.class)
                .hasMessageContaining("returned 2 series").hasMessageContaining("wrap it in sum(...)");
        assertThatThrownBy(() -> range.read("rate(", recordedFrom, recordedTo, Duration.ofSeconds(1)))
                .hasMessageContaining("answered HTTP 400: bad_data");
    }

    @Test
    void theCommandReplaysWhatPrometheusRecorded(@TempDir Path dir) throws IOException {
        Path policy = Files.writeString(dir.resolve("p.yml"), "max-replicas: 5\ncapacity-per-replica: 100\n"
                + "scale-down-stabilization: 0s\nscale-up-cooldown: 0s\nscale-down-cooldown: 0s\n");
        StringWriter err = new StringWriter();
        CommandLine cli = BacktestCommand.commandLine(new BacktestCommand());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("--prometheus", prometheus.url().toString(), "--query", "webapp_load",
                "--from", Long.toString(recordedFrom.getEpochSecond()), "--to", Long.toString(recordedTo.getEpochSecond()),
                "--step", "1s", "--policy", policy.toString(), "--out", dir.resolve("out").toString());
        assertThat(code).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("out/p.csv"));
        assertThat(lines.get(1)).isEqualTo(recordedFrom + ",100,1,1,1");
        assertThat(lines).anyMatch(l -> l.endsWith(",300,3,3,3"));
        assertThat(lines.get(lines.size() - 1)).endsWith(",50,1,1,1");
    }
}
