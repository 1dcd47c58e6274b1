package dev.scaler.history;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryUnavailableExceptionTest {

    @Test
    void theDriversReasonComesBeforeThePoolsTimeout() {
        SQLException driver = new SQLException("File corrupted while reading record: \"/d/h.mv.db\"\nmore lines",
                new IllegalStateException("Store header is corrupt: /d/h.mv.db"));
        SQLException pool = new SQLTransientConnectionException("HikariPool-1 - Connection is not available", driver);

        HistoryUnavailableException e = new HistoryUnavailableException("default", "jdbc:h2:file:/d/h", pool);

        assertThat(e.getMessage()).isEqualTo("history data source default (jdbc:h2:file:/d/h) could not be opened: "
                + "File corrupted while reading record: \"/d/h.mv.db\"; Store header is corrupt: /d/h.mv.db; "
                + "HikariPool-1 - Connection is not available");
        assertThat(e.getCause()).isSameAs(pool);
    }

    @Test
    void aFileH2CannotReadNamesWhereToReadHowToRecoverIt() {
        SQLException corrupted = new SQLException("File corrupted while reading record", "XX000", 90030);
        SQLException other = new SQLException("Wrong user name or password", "28000", 28000);

        assertThat(new HistoryUnavailableException("default", "jdbc:h2:file:/d/h",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available", corrupted))
                .getMessage()).endsWith("HikariPool-1 - Connection is not available. Scaler wrote nothing to the"
                + " file; docs/history.md (\"a file it cannot open\") says how to recover it or to move it aside"
                + " and start a new history");
        assertThat(new HistoryUnavailableException("default", "jdbc:h2:file:/d/h", other).getMessage())
                .endsWith("could not be opened: Wrong user name or password");
    }

    @Test
    void aPasswordInTheUrlOrInTheDriversWordsIsNotRepeated() {
        SQLException refused = new SQLException("Connection to jdbc:postgresql://db/scaler?password=hunter2 refused");
        assertThat(new HistoryUnavailableException("default",
                "jdbc:postgresql://db/scaler?user=s&password=hunter2&ssl=true", refused).getMessage())
                .isEqualTo("history data source default (jdbc:postgresql://db/scaler?user=s&password=***&ssl=true)"
                        + " could not be opened: Connection to jdbc:postgresql://db/scaler?password=*** refused");
        assertThat(new HistoryUnavailableException("default", "jdbc:h2:file:./data/h;PASSWORD=x;AUTO_SERVER=FALSE",
                new SQLException("no")).getMessage()).contains("(jdbc:h2:file:./data/h;PASSWORD=***;AUTO_SERVER=FALSE)");
        assertThat(new HistoryUnavailableException("default", null, new SQLException("no")).getMessage())
                .startsWith("history data source default (no url) could not be opened");
    }

    @Test
    void aFailureWithoutMessageIsNamedByItsType() {
        assertThat(HistoryUnavailableException.reasons(new SQLException((String) null))).isEqualTo("SQLException");
    }
}
