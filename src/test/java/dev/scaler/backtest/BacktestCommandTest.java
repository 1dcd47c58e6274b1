package dev.scaler.backtest;

import dev.scaler.testing.ScalerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scaler backtest} as a person runs it: files in, exit code, stdout, stderr and files out. */
class BacktestCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = BacktestCommand.commandLine(new BacktestCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path worldCupDay() throws IOException {
        List<String> lines = new ArrayList<>(List.of("period,count"));
        for (int minute = 0; minute < 24 * 60; minute++) {
            long count = 6000 + Math.round(5000 * Math.sin(minute / 200.0)) + (minute % 97 == 50 ? 30000 : 0);
            lines.add(String.format("1998-06-30 %02d:%02d:00,%d", minute / 60, minute % 60, Math.max(0, count)));
        }
        return Files.write(dir.resolve("worldcup98_day.csv"), lines);
    }

    private Path policy(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void severalPoliciesGiveATableAndFilesPerPolicy() throws IOException {
        Path trace = worldCupDay();
        Path single = policy("default.yml", "max-replicas: 40\ncapacity-per-replica: 20\n");
        Path two = policy("two.yml", """
                scaler:
                  targets:
                    eager:
                      max-replicas: 40
                      capacity-per-replica: 20
                      scale-down-stabilization: 1m
                    lazy:
                      max-replicas: 40
                      capacity-per-replica: 20
                      tolerance: 0.3
                """);
        Path outDir = dir.resolve("out");

        int code = run("--trace", trace.toString(), "--policy", single.toString(), "--policy", two.toString(),
                "--start-delay", "2m", "--out", outDir.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("| default ", "| eager ", "| lazy ", "theta_U", "replica-hours");
        assertThat(err.toString()).contains("read 1440 steps of PT1M", "default: 1440 steps replayed");
        for (String name : List.of("default", "eager", "lazy")) {
            assertThat(outDir.resolve(name + ".csv")).content().startsWith("time,load,demand,supply,running\n"
                    + "1998-06-30T00:00:00Z,100,5,");
            assertThat(Files.readAllLines(outDir.resolve(name + ".csv"))).hasSize(1441);
            assertThat(outDir.resolve(name + "-actions.csv")).content().contains("scale up");
            assertThat(outDir.resolve(name + ".svg")).content().startsWith("<svg").contains("supply");
        }
        assertThat(outDir.resolve("summary.md")).content().contains("capacity 20.0 per replica, start delay PT2M");
        assertThat(Files.readAllLines(outDir.resolve("scores.csv"))).hasSize(4);
    }

    @Test
    void aWindowOfTheTraceIsReplayed() throws IOException {
        int code = run("--trace", worldCupDay().toString(), "--from", "1998-06-30 12:00", "--to", "1998-06-30 13:00",
                "--policy", policy("p.yml", "capacity-per-replica: 20\n").toString(), "--out", dir.resolve("o").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readAllLines(dir.resolve("o/p.csv"))).hasSize(61);
    }

    @Test
    void aMalformedTraceIsAUsageErrorNamingTheLine() throws IOException {
        Path trace = Files.writeString(dir.resolve("load.csv"), "timestamp,value\n0,1\n60,2\n120,x\n");
        int code = run("--trace", trace.toString(), "--policy", policy("p.yml", "max-replicas: 3\n").toString(),
                "--out", dir.resolve("o").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("backtest: " + trace + ":4: value 'x' is not a number"
                + System.lineSeparator());
    }

    @Test
    void anUnknownPolicyFieldIsAUsageError() throws IOException {
        Path trace = Files.writeString(dir.resolve("load.csv"), "0,1\n60,2\n");
        Path p = policy("p.yml", "max-replicas: 3\nmax-replica: 4\n");
        assertThat(run("--trace", trace.toString(), "--policy", p.toString(), "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(p + ":2: unknown field 'max-replica' in policy p");
    }

    @Test
    void anUnreachablePrometheusIsAUsageErrorNamingIt() throws IOException {
        int port = ScalerProcess.freePort();
        int code = run("--prometheus", "http://127.0.0.1:" + port, "--query", "up", "--from", "now-1h", "--to", "now",
                "--policy", policy("p.yml", "max-replicas: 3\n").toString(), "--out", dir.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Prometheus at http://127.0.0.1:" + port + "/ is unreachable");
    }

    @Test
    void missingOrConflictingOptionsAreUsageErrors() throws IOException {
        Path p = policy("p.yml", "max-replicas: 3\n");
        assertThat(run("--policy", p.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--out=DIR'");

        Path trace = Files.writeString(dir.resolve("load.csv"), "0,1\n60,2\n");
        assertThat(run("--trace", trace.toString(), "--prometheus", "http://localhost:9090", "--policy", p.toString(),
                "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("give either --trace FILE or --prometheus URL");

        assertThat(run("--trace", trace.toString(), "--interval", "soon", "--policy", p.toString(),
                "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--interval: 'soon' is not a duration");

        Path other = policy("q.yml", "max-replicas: 3\ncapacity-per-replica: 50\n");
        assertThat(run("--trace", trace.toString(), "--policy", p.toString(), "--policy", other.toString(),
                "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("capacity-per-replica differ", "give --capacity");
    }

    @Test
    void aForecastingPolicyReadsTheTraceBeforeFromAsHistoryAndEveryDayIsScored() throws IOException {
        // three days, each busy from 12:00 to 14:00 UTC
        List<String> lines = new ArrayList<>(List.of("period,count"));
        for (int day = 1; day <= 3; day++) {
            for (int minute = 0; minute < 24 * 60; minute++) {
                long count = minute >= 720 && minute < 840 ? 48_000 : 6_000;
                lines.add(String.format("1998-06-%02d %02d:%02d:00,%d", day, minute / 60, minute % 60, count));
            }
        }
        Path trace = Files.write(dir.resolve("worldcup98_days.csv"), lines);
        Path reactive = policy("reactive.yml", "max-replicas: 40\ncapacity-per-replica: 50\n");
        Path predictive = policy("predictive.yml", "max-replicas: 40\ncapacity-per-replica: 50\npredictive: on\n");
        Path outDir = dir.resolve("out");

        int code = run("--trace", trace.toString(), "--from", "1998-06-02", "--policy", reactive.toString(),
                "--policy", predictive.toString(), "--start-delay", "2m", "--per-day", "--out", outDir.toString());

        assertThat(code).as(err.toString()).isZero();
        String perDay = Files.readString(outDir.resolve("per-day.md"));
        assertThat(perDay).contains("| 1998-06-02 ", "| 1998-06-03 ", "predictive forecast error %", "mean (2 days)");
        assertThat(Files.readString(outDir.resolve("per-day.csv")))
                .startsWith("day,policy,theta_u_percent,replica_hours,scale_actions,forecast_error_percent,")
                .contains("1998-06-03,predictive,0.0000,");
        assertThat(Files.readString(outDir.resolve("summary.md"))).contains("forecast error %", "forecast used %");
        assertThat(Files.readString(outDir.resolve("predictive.csv")))
                .startsWith("time,load,demand,supply,running,forecast,forecast_for\n");
        assertThat(Files.readString(outDir.resolve("reactive.csv"))).startsWith("time,load,demand,supply,running\n");
        assertThat(Files.readString(outDir.resolve("predictive.svg"))).contains("forecast / capacity per replica");
        assertThat(Files.readString(outDir.resolve("predictive-actions.csv"))).contains("raised by the forecast");
    }

    @Test
    void aBadForecastValueIsAUsageErrorNamingKeyAndValue() throws IOException {
        Path trace = worldCupDay();
        Path bad = policy("bad.yml", "max-replicas: 40\npredictive-step: 7m\n");
        int code = run("--trace", trace.toString(), "--policy", bad.toString(), "--out", dir.resolve("o").toString());
        assertThat(code).isEqualTo(BacktestCommand.USAGE_ERROR);
        assertThat(err.toString()).contains("bad.yml: policy bad is invalid:", "predictive-step must divide a day evenly,"
                + " got PT7M");
    }
}
