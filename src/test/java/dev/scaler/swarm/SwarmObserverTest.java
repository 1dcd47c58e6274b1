package dev.scaler.swarm;

import dev.scaler.observation.ObservationException;
import dev.scaler.testing.Await;
import dev.scaler.testing.SecondLane;
import dev.scaler.testing.SwarmCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SwarmObserver against services on a real single-node swarm. */
@SecondLane
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SwarmObserverTest {

    private SwarmCluster swarm;
    private SwarmObserver observer;

    @BeforeAll
    void swarm() {
        swarm = SwarmCluster.open("scalerswobs");
        observer = new SwarmObserver(null);
    }

    @AfterAll
    void cleanUp() {
        if (observer != null) {
            observer.close();
        }
        if (swarm != null) {
            swarm.close();
        }
    }

    @Test
    void countsRunningTasksAndReadsTheSettingAndLabels() throws Exception {
        String name = swarm.createService("web", 2, "scaler.max-replicas=6", "team=shop");

        SwarmObservation seen = observer.observe(new SwarmService(name));

        assertThat(seen.service()).isEqualTo(name);
        assertThat(seen.running()).isEqualTo(2).isEqualTo(swarm.running(name));
        assertThat(seen.desired()).isEqualTo(2);
        assertThat(seen.converging()).isFalse();
        assertThat(seen.labels()).containsEntry("scaler.max-replicas", "6").containsEntry("team", "shop");
        assertThat(observer.scalerLabels(new SwarmService(name))).isEqualTo(Map.of("scaler.max-replicas", "6"));

        swarm.scale(name, 3);
        assertThat(observer.observe(new SwarmService(name)).running()).isEqualTo(3);
        swarm.scale(name, 0);
        SwarmObservation none = observer.observe(new SwarmService(name));
        assertThat(none.running()).isZero();
        assertThat(none.desired()).isZero();
        assertThat(none.labels()).hasSize(2);
    }

    @Test
    void aKilledTaskIsNotCountedUntilSwarmRunsItsReplacement() throws Exception {
        String name = swarm.createService("crash", 3);
        SwarmService service = new SwarmService(name);
        assertThat(observer.observe(service).running()).isEqualTo(3);

        swarm.killOneTask(name);

        // Swarm sees the exit and starts a replacement; in between 2 run. Timing is not asserted on:
        // every count seen is at most 3, matches the CLI's, and comes back to 3 with the setting unchanged.
        SwarmObservation right = observer.observe(service);
        assertThat(right.running()).isBetween(2, 3);
        assertThat(right.desired()).isEqualTo(3);
        // Only once swarm has made the replacement task is a count of 3 the replacement's, not the killed
        // task's last moment.
        Await.until("swarm making a replacement task", Duration.ofSeconds(90), () -> swarm.tasksEverMade(name) > 3);
        Await.until("the replacement task running", Duration.ofSeconds(90), () -> {
            try {
                return observer.observe(service).running() == 3 && swarm.running(name) == 3;
            } catch (ObservationException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(SwarmDriver.note(new SwarmObservation(name, 2, 3, Map.of())))
                .isEqualTo("; swarm: 2 of 3 tasks running (swarm is starting the rest)");
        assertThat(SwarmDriver.note(observer.observe(service))).isEmpty();
    }

    @Test
    void pendingTasksAreNotCounted() throws Exception {
        String name = swarm.createServiceOfWhichTwoFit("starved", 3);
        SwarmService service = new SwarmService(name);

        Await.until("two tasks running", Duration.ofSeconds(90), () -> swarm.running(name) == 2);
        SwarmObservation seen = observer.observe(service);

        assertThat(seen.running()).isEqualTo(2);
        assertThat(seen.desired()).isEqualTo(3);
        assertThat(seen.converging()).isTrue();
        assertThat(SwarmDriver.note(seen)).isEqualTo("; swarm: 2 of 3 tasks running (swarm is starting the rest)");
    }

    @Test
    void aMissingServiceNamesTheService() {
        SwarmService missing = new SwarmService("scalerswobs-nosuchservice");

        assertThatThrownBy(() -> observer.observe(missing))
                .isInstanceOf(ObservationException.class)
                .hasMessageStartingWith("could not count running tasks of swarm service 'scalerswobs-nosuchservice':"
                        + " no such service on the swarm manager at unix://");
    }

    @Test
    void aGlobalServiceIsRefused() {
        String name = swarm.createGlobalService("global");

        assertThatThrownBy(() -> observer.observe(new SwarmService(name)))
                .isInstanceOf(ObservationException.class)
                .hasMessageContaining("swarm service '" + name + "' is not a replicated service (mode GLOBAL);"
                        + " Scaler scales replicated services only");
    }

    @Test
    void anUnreachableEngineNamesTheServiceAndTheCause() {
        try (SwarmObserver nowhere = new SwarmObserver("tcp://127.0.0.1:1", Duration.ofSeconds(2),
                Duration.ofSeconds(2))) {
            assertThatThrownBy(() -> nowhere.observe(new SwarmService("web")))
                    .isInstanceOf(ObservationException.class)
                    .hasMessageStartingWith("could not count running tasks of swarm service 'web': ")
                    .hasMessageContaining("Connect");
        }
    }
}
