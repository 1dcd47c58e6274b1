package dev.scaler.backtest;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** The trace file formats the backtest reads; see docs/BACKTEST.md. */
public enum TraceFormat {
    /** WorldCup98 per-minute counts: {@code period,count}, {@code YYYY-MM-DD HH:MM:SS} GMT; read as requests/s. */
    WORLDCUP,
    /** NASA-HTTP per-second counts: whitespace-separated integers from 1995-07-01 00:00:01 UTC-4. */
    NASA,
    /** {@code timestamp,value}: ISO-8601 instant, {@code YYYY-MM-DD HH:MM:SS} (UTC) or Unix seconds. */
    CSV;

    public static TraceFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BacktestInputException("--format: '" + text + "' is not one of worldcup, nasa, csv");
        }
    }

    /** A guess from the file's name, so {@code --format} is rarely needed. */
    public static TraceFormat guess(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.contains("worldcup") || name.contains("wc98")) {
            return WORLDCUP;
        }
        if (name.contains("nasa")) {
            return NASA;
        }
        return CSV;
    }

    public LoadTrace read(Path file) {
        String source = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            InputStream buffered = new BufferedInputStream(in, 1 << 16);
            buffered.mark(3);
            byte[] magic = buffered.readNBytes(3);
            buffered.reset();
            if (magic.length == 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
                throw new BacktestInputException(source + ": this is a bzip2 archive; extract the trace first"
                        + " (tar xjf " + file.getFileName() + ") and give the text file inside");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(buffered, StandardCharsets.UTF_8), 1 << 16);
            return switch (this) {
                case WORLDCUP -> TraceParsers.worldCup(source, reader);
                case NASA -> TraceParsers.nasa(source, reader);
                case CSV -> TraceParsers.csv(source, reader);
            };
        } catch (NoSuchFileException e) {
            throw new BacktestInputException("--trace: " + source + " does not exist");
        } catch (IOException e) {
            throw new BacktestInputException("--trace: cannot read " + source + ": " + e.getMessage(), e);
        }
    }
}
