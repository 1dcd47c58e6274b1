package dev.scaler.decision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTest {

    @Test
    void rejectsMaxBelowMinNamingBothFields() {
        assertThatThrownBy(() -> Policy.defaults(5, 2, 100))
                .hasMessage("max-replicas (2) must be >= min-replicas (5)");
    }

    @Test
    void rejectsNonPositiveCapacity() {
        assertThatThrownBy(() -> Policy.defaults(1, 2, 0)).hasMessageContaining("capacity-per-replica");
        assertThatThrownBy(() -> Policy.defaults(1, 2, Double.NaN)).hasMessageContaining("capacity-per-replica");
    }

    @Test
    void rejectsToleranceOutsideUnitInterval() {
        assertThatThrownBy(() -> new PolicyBuilder(Policy.defaults(1, 2, 1)).tolerance(1).build())
                .hasMessageContaining("tolerance must be in [0, 1)");
    }

    @Test
    void rejectsFallbackOutsideRange() {
        assertThatThrownBy(() -> new PolicyBuilder(Policy.defaults(1, 4, 1)).fallback(2, 9).build())
                .hasMessageContaining("fallback.replicas (9)");
    }

    @Test
    void rejectsNegativeLimits() {
        assertThatThrownBy(() -> new StepLimit(-1, 0)).hasMessageContaining("max-replicas must be >= 0");
        assertThatThrownBy(() -> new StepLimit(0, -5)).hasMessageContaining("max-percent");
    }

    @ParameterizedTest(name = "{0} failures -> {1}s")
    @CsvSource({"0,0", "1,30", "2,60", "3,120", "5,480", "6,600", "60,600"})
    void backoffDoublesUpToItsCap(int failures, long seconds) {
        Backoff b = new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10));
        assertThat(b.after(failures)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "limit({0},{1}%) from {2}: +{3} -{4}")
    @CsvSource({
            "0,0,5,2147483647,2147483647",
            "2,0,5,2,2",
            "0,50,5,3,2",
            "0,50,1,1,1",
            "3,100,2,2,2",
            "0,10,0,1,1",
    })
    void stepLimits(int replicas, int percent, int current, int added, int removed) {
        StepLimit l = new StepLimit(replicas, percent);
        assertThat(l.maxAdded(current)).isEqualTo(added);
        assertThat(l.maxRemoved(current)).isEqualTo(removed);
    }

    @Test
    void readingRejectsAValueForAFailedState() {
        assertThatThrownBy(() -> MetricReading.failed(MetricState.HEALTHY, "x")).hasMessageContaining("not a failure");
        assertThatThrownBy(() -> MetricReading.healthy(Double.NaN, null)).hasMessageContaining("finite");
        assertThatThrownBy(() -> MetricReading.healthy(-1, null)).hasMessageContaining("negative");
    }
}
