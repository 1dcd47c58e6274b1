package dev.scaler.history;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The collections after a migration whose loader the first one did not collect (the migration: SchemaMigrationRunnerTest). */
class IsolatedFlywayTest {

    @Test
    void collectsAgainUntilTheReferenceIsClearedAndStops() {
        List<Object> holder = new ArrayList<>(List.of(new Object()));
        WeakReference<Object> ref = new WeakReference<>(holder.get(0));
        int[] runs = {0};
        // what held the referent lets it go before the third collection
        int collections = IsolatedFlyway.collectUntilCleared(ref, () -> {
            if (++runs[0] == 3) {
                holder.clear();
            }
            System.gc();
        }, 6, Duration.ofMillis(1));
        assertThat(ref.get()).isNull();
        assertThat(collections).isEqualTo(3).isEqualTo(runs[0]);
    }

    @Test
    void givesUpAfterItsAttempts() {
        Object held = new Object();
        WeakReference<Object> ref = new WeakReference<>(held);
        int[] runs = {0};
        assertThat(IsolatedFlyway.collectUntilCleared(ref, () -> runs[0]++, 4, Duration.ofMillis(1))).isEqualTo(4);
        assertThat(runs[0]).isEqualTo(4);
        assertThat(ref.get()).isSameAs(held);
    }

    @Test
    void collectsNothingWhenTheReferenceIsAlreadyCleared() {
        WeakReference<Object> ref = new WeakReference<>(null);
        assertThat(IsolatedFlyway.collectUntilCleared(ref, () -> {
            throw new AssertionError("no collection needed");
        }, 6, Duration.ofMillis(1))).isZero();
    }
}
