package dev.scaler.forecast;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ForecastSettingsTest {

    @Test
    void absentKeysTakeTheDefaults() {
        ForecastSettings s = ForecastSettings.parse(Map.of());
        assertThat(s).isEqualTo(ForecastSettings.DEFAULTS);
        assertThat(s.enabled()).isFalse();
        assertThat(s.horizonOr(Duration.ofMinutes(3))).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void everyKeyIsRead() {
        ForecastSettings s = ForecastSettings.parse(Map.ofEntries(Map.entry("predictive", "forecast-only"),
                Map.entry("predictive-horizon", "4m"), Map.entry("predictive-history", "7d"),
                Map.entry("predictive-min-history", "2d"), Map.entry("predictive-step", "PT10M"),
                Map.entry("predictive-refresh", "1h"), Map.entry("predictive-trend-window", "30m"),
                Map.entry("predictive-max-error", "0.3"), Map.entry("predictive-margin", "2"),
                Map.entry("predictive-batch", "0s"), Map.entry("predictive-tolerance", "0.1")));
        assertThat(s).isEqualTo(new ForecastSettings(ForecastSettings.Mode.FORECAST_ONLY, Duration.ofMinutes(4),
                Duration.ofDays(7), Duration.ofDays(2), Duration.ofMinutes(10), Duration.ofHours(1),
                Duration.ofMinutes(30), 0.3, 2, Duration.ZERO, 0.1));
        assertThat(ForecastSettings.KEYS).hasSize(11);
    }

    @Test
    void everyBadValueIsNamedWithItsKey() {
        assertThatThrownBy(() -> ForecastSettings.parse(Map.of("predictive", "maybe", "predictive-history", "two weeks",
                "predictive-margin", "lots")))
                .isInstanceOfSatisfying(InvalidForecastSettingsException.class, e -> assertThat(e.problems())
                        .containsExactlyInAnyOrder("predictive must be one of off, forecast-only, on; got 'maybe'",
                                "predictive-history must be a duration such as 15s, 5m, 1h, 14d or PT5M; got 'two weeks'",
                                "predictive-margin must be a number; got 'lots'"));
        assertThatThrownBy(() -> ForecastSettings.parse(Map.of("predictive-min-history", "12h")))
                .hasMessage("predictive-min-history must be at least 1d, one period of the daily profile, got PT12H");
        assertThatThrownBy(() -> ForecastSettings.parse(Map.of("predictive-min-history", "20d")))
                .hasMessage("predictive-min-history (PT480H) must not exceed predictive-history (PT336H)");
        assertThatThrownBy(() -> ForecastSettings.parse(Map.of("predictive-step", "7m")))
                .hasMessage("predictive-step must divide a day evenly, got PT7M");
        assertThatThrownBy(() -> ForecastSettings.parse(Map.of("predictive-max-error", "0")))
                .hasMessage("predictive-max-error must be a positive number, got 0.0");
        assertThatThrownBy(() -> ForecastSettings.parse(Map.of("predictive-tolerance", "1")))
                .hasMessage("predictive-tolerance must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> ForecastSettings.parse(Map.of("predictive-horizon", "0s")))
                .hasMessage("predictive-horizon must be more than 0, got PT0S");
    }
}
