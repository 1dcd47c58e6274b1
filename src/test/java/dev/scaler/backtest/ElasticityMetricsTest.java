package dev.scaler.backtest;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The metrics on series small enough to compute by hand; the working is in the comments. */
class ElasticityMetricsTest {

    @Test
    void aSmallSeriesByHand() {
        // t:       0  1  2  3  4
        // demand:  1  2  4  4  2
        // supply:  1  1  2  4  4
        // under at t1 (1 of 2 = 0.5) and t2 (2 of 4 = 0.5); over at t4 (2 of 2 = 1.0)
        // transitions: t1 s= d+ differ, t2 s+ d+ same, t3 s+ d= differ, t4 s= d- differ: 3 of 4
        // supply changes 2 (t2, t3), demand changes 3 (t1, t2, t4); T = 5 min = 1/12 h
        ElasticityMetrics m = ElasticityMetrics.of(new int[] {1, 2, 4, 4, 2}, new int[] {1, 1, 2, 4, 4},
                Duration.ofMinutes(1));
        assertThat(m.underAccuracy()).isCloseTo(100.0 * (0.5 + 0.5) / 5, within(1e-9)); // 20
        assertThat(m.overAccuracy()).isCloseTo(100.0 * 1.0 / 5, within(1e-9)); // 20
        assertThat(m.underTimeShare()).isCloseTo(40, within(1e-9));
        assertThat(m.overTimeShare()).isCloseTo(20, within(1e-9));
        assertThat(m.instability()).isCloseTo(75, within(1e-9));
        assertThat(m.jitterPerHour()).isCloseTo((2 - 3) / (5 / 60.0), within(1e-9)); // -12 per hour
    }

    @Test
    void supplyThatFollowsDemandExactlyScoresZeroEverywhere() {
        int[] series = {2, 3, 5, 5, 4, 1};
        ElasticityMetrics m = ElasticityMetrics.of(series, series.clone(), Duration.ofSeconds(15));
        assertThat(m).isEqualTo(new ElasticityMetrics(0, 0, 0, 0, 0, 0));
    }

    @Test
    void aScalerThatOscillatesOnFlatDemandHasPositiveJitter() {
        // demand flat at 2; supply 2 3 2 3: 3 supply changes, 0 demand changes, T = 4 h
        ElasticityMetrics m = ElasticityMetrics.of(new int[] {2, 2, 2, 2}, new int[] {2, 3, 2, 3}, Duration.ofHours(1));
        assertThat(m.jitterPerHour()).isCloseTo(0.75, within(1e-9));
        assertThat(m.instability()).isCloseTo(100, within(1e-9));
        // over by 1 of 2 at t1 and t3: (0.5 + 0.5) / 4
        assertThat(m.overAccuracy()).isCloseTo(25, within(1e-9));
        assertThat(m.overTimeShare()).isCloseTo(50, within(1e-9));
    }

    @Test
    void zeroDemandIsMeasuredAgainstOneReplica() {
        // t0: 2 replicas at no demand = 200 % surplus; t1: none at none = exact
        ElasticityMetrics m = ElasticityMetrics.of(new int[] {0, 0}, new int[] {2, 0}, Duration.ofMinutes(1));
        assertThat(m.overAccuracy()).isCloseTo(100.0 * 2 / 2, within(1e-9));
        assertThat(m.underAccuracy()).isZero();
    }

    @Test
    void seriesOfDifferentLengthsAreRefused() {
        assertThatThrownBy(() -> ElasticityMetrics.of(new int[] {1}, new int[] {1, 2}, Duration.ofMinutes(1)))
                .hasMessageContaining("same, non-zero length");
    }
}
