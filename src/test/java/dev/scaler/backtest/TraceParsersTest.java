package dev.scaler.backtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceParsersTest {

    private static BufferedReader text(String s) {
        return new BufferedReader(new StringReader(s));
    }

    @Test
    void worldCupIsReadAsRequestsPerSecondWithAbsentMinutesAsZero() throws IOException {
        LoadTrace t = TraceParsers.worldCup("wc.csv", text("""
                period,count
                1998-06-30 00:00:00,600
                1998-06-30 00:01:00,1200
                1998-06-30 00:04:00,60
                """));
        assertThat(t.start()).isEqualTo(Instant.parse("1998-06-30T00:00:00Z"));
        assertThat(t.step()).isEqualTo(Duration.ofMinutes(1));
        assertThat(t.values()).containsExactly(10, 20, 0, 0, 1);
    }

    @Test
    void worldCupMinutesFollowEachOtherAcrossMidnight() throws IOException {
        LoadTrace t = TraceParsers.worldCup("wc.csv", text("""
                1998-06-30 23:58:00,60
                1998-06-30 23:59:00,120
                1998-07-01 00:00:00,180
                1998-07-01 00:02:00,60
                """));
        assertThat(t.start()).isEqualTo(Instant.parse("1998-06-30T23:58:00Z"));
        assertThat(t.values()).containsExactly(1, 2, 3, 0, 1);
    }

    @Test
    void malformedWorldCupLinesNameTheLine() {
        assertThatThrownBy(() -> TraceParsers.worldCup("wc.csv", text("period,count\n1998-06-30 00:00:00,5\n"
                + "1998-06-30 00:01:00,five\n")))
                .isInstanceOf(BacktestInputException.class).hasMessage("wc.csv:3: count 'five' is not a whole number");
        assertThatThrownBy(() -> TraceParsers.worldCup("wc.csv", text("period,count\n1998-06-31 00:00:00,5\n")))
                .hasMessageStartingWith("wc.csv:2: '1998-06-31 00:00:00' is not a period");
        assertThatThrownBy(() -> TraceParsers.worldCup("wc.csv", text("1998-06-30 00:01:00,5\n1998-06-30 00:00:00,5\n")))
                .hasMessageStartingWith("wc.csv:2: period 1998-06-30T00:00:00Z is not after the line before");
        // the lines after the first of a day are read by the fast path: the same errors
        assertThatThrownBy(() -> TraceParsers.worldCup("wc.csv", text("1998-06-30 00:00:00,5\n1998-06-30 24:00:00,5\n")))
                .hasMessageStartingWith("wc.csv:2: '1998-06-30 24:00:00' is not a period");
        assertThatThrownBy(() -> TraceParsers.worldCup("wc.csv", text("1998-06-30 00:00:00,5\n1998-06-30 00:6x:00,5\n")))
                .hasMessageStartingWith("wc.csv:2: '1998-06-30 00:6x:00' is not a period");
        assertThatThrownBy(() -> TraceParsers.worldCup("wc.csv", text("1998-06-30 00:00:00,5\n1998-06-30 00:01-00,5\n")))
                .hasMessageStartingWith("wc.csv:2: '1998-06-30 00:01-00' is not a period");
        assertThatThrownBy(() -> TraceParsers.worldCup("wc.csv", text("1998-06-30 00:00:00;5\n")))
                .hasMessageStartingWith("wc.csv:1: expected 'YYYY-MM-DD HH:MM:SS,count'");
        assertThatThrownBy(() -> TraceParsers.worldCup("wc.csv", text("1998-06-30 00:00:30,5\n")))
                .hasMessageStartingWith("wc.csv:1: period 1998-06-30T00:00:30Z is not the start of a minute");
        assertThatThrownBy(() -> TraceParsers.worldCup("wc.csv", text("1998-06-30 00:00:00,-5\n")))
                .hasMessageStartingWith("wc.csv:1: count -5 is negative");
        assertThatThrownBy(() -> TraceParsers.worldCup("wc.csv", text("period,count\n")))
                .hasMessageContaining("no data lines");
    }

    @Test
    void nasaIsOneValuePerSecondFromItsKnownStart() throws IOException {
        LoadTrace t = TraceParsers.nasa("nasa.txt", text("3 0 12\n7"));
        assertThat(t.start()).isEqualTo(Instant.parse("1995-07-01T04:00:01Z"));
        assertThat(t.step()).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.values()).containsExactly(3, 0, 12, 7);
    }

    @Test
    void aBadNasaValueNamesItsLineAndPosition() {
        assertThatThrownBy(() -> TraceParsers.nasa("nasa.txt", text("3 0 1x2 4")))
                .isInstanceOf(BacktestInputException.class)
                .hasMessage("nasa.txt:1: value #3 '1x2' is not a whole number of requests");
        assertThatThrownBy(() -> TraceParsers.nasa("nasa.txt", text("3 0\n4 -5")))
                .hasMessage("nasa.txt:2: value #4 '-5' is not a whole number of requests");
        assertThatThrownBy(() -> TraceParsers.nasa("nasa.txt", text("  \n")))
                .hasMessageContaining("no values");
    }

    @Test
    void csvTakesItsStepFromTheFirstTwoLinesAndKeepsGapsAsNoData() throws IOException {
        LoadTrace t = TraceParsers.csv("load.csv", text("""
                timestamp,value
                2026-01-01T00:00:00Z,10
                2026-01-01T00:00:15Z,12.5
                2026-01-01T00:00:45Z,7
                2026-01-01T00:01:00Z,
                """));
        assertThat(t.step()).isEqualTo(Duration.ofSeconds(15));
        assertThat(t.values()).containsExactly(10, 12.5, Double.NaN, 7, Double.NaN);
    }

    @Test
    void csvAcceptsUnixSecondsAndSpacedTimes() throws IOException {
        assertThat(TraceParsers.csv("a.csv", text("1767225600,1\n1767225660,2\n")).start())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(TraceParsers.csv("b.csv", text("2026-01-01 00:00:00,1\n2026-01-01 00:01:00,2\n")).step())
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void malformedCsvLinesNameTheLine() {
        String head = "timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T00:01:00Z,1\n";
        assertThatThrownBy(() -> TraceParsers.csv("l.csv", text(head + "2026-01-01T00:02:00Z,lots\n")))
                .hasMessage("l.csv:4: value 'lots' is not a number");
        assertThatThrownBy(() -> TraceParsers.csv("l.csv", text(head + "2026-01-01T00:02:30Z,1\n")))
                .hasMessageStartingWith("l.csv:4: timestamp 2026-01-01T00:02:30Z is not on the trace's grid");
        assertThatThrownBy(() -> TraceParsers.csv("l.csv", text(head + "2026-01-01T00:01:00Z,1\n")))
                .hasMessageStartingWith("l.csv:4: timestamp 2026-01-01T00:01:00Z is not after the line before");
        assertThatThrownBy(() -> TraceParsers.csv("l.csv", text(head + "2026-01-01T00:02:00Z,-1\n")))
                .hasMessageStartingWith("l.csv:4: value -1 is not a load");
        assertThatThrownBy(() -> TraceParsers.csv("l.csv", text(head + "2026-13-01T00:02:00Z,1\n")))
                .hasMessageStartingWith("l.csv:4: '2026-13-01T00:02:00Z' is not a timestamp");
        assertThatThrownBy(() -> TraceParsers.csv("l.csv", text(head + "2026-01-01T00:02:00Z,1,2\n")))
                .hasMessageStartingWith("l.csv:4: expected 'timestamp,value'");
        assertThatThrownBy(() -> TraceParsers.csv("l.csv", text("2026-01-01T00:00:00Z,1\n")))
                .hasMessageContaining("only one data line");
    }

    @Test
    void aBzip2ArchiveIsRefusedWithHowToExtractIt(@TempDir Path dir) throws IOException {
        Path archive = dir.resolve("nasa.tbz2");
        Files.write(archive, new byte[] {'B', 'Z', 'h', '9', 1, 2, 3});
        assertThatThrownBy(() -> TraceFormat.NASA.read(archive))
                .hasMessageContaining("bzip2 archive").hasMessageContaining("tar xjf nasa.tbz2");
    }

    @Test
    void aWindowKeepsTheStepsThatStartInIt() throws IOException {
        LoadTrace t = TraceParsers.csv("l.csv", text("0,1\n60,2\n120,3\n180,4\n"));
        LoadTrace w = t.window(Instant.ofEpochSecond(60), Instant.ofEpochSecond(180));
        assertThat(w.values()).containsExactly(2, 3);
        assertThat(w.start()).isEqualTo(Instant.ofEpochSecond(60));
        assertThatThrownBy(() -> t.window(Instant.ofEpochSecond(600), null)).hasMessageContaining("holds no step");
    }
}
