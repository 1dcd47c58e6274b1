package dev.scaler.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ApiConfigurationTest {

    @Test
    void toStringSaysWhetherSecretsAreSetButNotWhatTheyAre() {
        assertThat(new ApiConfiguration("t0ken-value", "ops", "pa55word", 2048, Duration.ofMinutes(5)).toString())
                .isEqualTo("ApiConfiguration[token=set, username=ops, password=set, maxAlertBody=2048,"
                        + " alertDedupeWindow=PT5M]");
        assertThat(new ApiConfiguration(null, null, null, 2048, Duration.ofMinutes(5)).toString())
                .contains("token=none").contains("password=none");
    }
}
