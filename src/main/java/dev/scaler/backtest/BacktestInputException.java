package dev.scaler.backtest;

/**
 * Bad input to a backtest: a malformed trace, an unknown policy field, an unreachable Prometheus, a bad
 * option. The message is for the person who ran the command: it names the file, line, field or value.
 */
public class BacktestInputException extends RuntimeException {

    public BacktestInputException(String message) {
        super(message);
    }

    public BacktestInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
