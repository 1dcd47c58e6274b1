package dev.scaler.compose;

import dev.scaler.decision.Policy;
import dev.scaler.execution.ActionOutcome;
import dev.scaler.execution.ComposeService;
import dev.scaler.execution.PlaybookResult;
import dev.scaler.observation.ComposeSnapshot;
import dev.scaler.observation.ObservationException;
import dev.scaler.observation.ReplicaObserver;
import dev.scaler.observation.ServiceReplicas;
import dev.scaler.target.Observation;
import dev.scaler.target.ScaleOutcome;
import dev.scaler.target.Target;
import dev.scaler.target.Tick;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** How the compose driver counts: one listing per loop tick, a request of its own otherwise. */
class ComposeDriverTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

    /** Lists web=3 and api=1 of project shop; counts every request. */
    static final class CountingObserver implements ReplicaObserver {
        final AtomicInteger listings = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        boolean engineDown;

        @Override
        public int runningReplicas(String composeProject, String service) throws ObservationException {
            requests.incrementAndGet();
            if (engineDown) {
                throw new ObservationException(composeProject, service, new IllegalStateException("engine down"));
            }
            return service.equals("web") ? 3 : 1;
        }

        @Override
        public ComposeSnapshot snapshot() throws ObservationException {
            listings.incrementAndGet();
            if (engineDown) {
                throw new ObservationException("could not list: engine down", new IllegalStateException("engine down"));
            }
            return new ComposeSnapshot(CLOCK.instant(), Map.of(
                    new ComposeSnapshot.Service("shop", "web"), new ServiceReplicas(3, Map.of("scaler.max", "5")),
                    new ComposeSnapshot.Service("shop", "api"), new ServiceReplicas(1, Map.of())));
        }

        @Override
        public boolean lists() {
            return true;
        }
    }

    static Target target(String service) {
        return new Target(service, "up", new ComposeService("shop", Path.of("/nonexistent"), List.of(), service), null,
                Policy.defaults(1, 10, 100), false);
    }

    @Test
    void aLoopTickListsTheEngineOnceForEveryTarget() {
        CountingObserver engine = new CountingObserver();
        ComposeDriver driver = new ComposeDriver(engine, (t, s, r) -> null, CLOCK);

        Observation web = driver.observe(target("web"), Tick.ofLoop("t1"));
        Observation api = driver.observe(target("api"), Tick.ofLoop("t1"));
        driver.observe(target("web"), Tick.ofLoop("t2"));

        assertThat(web.running()).hasValue(3);
        assertThat(web.scalerLabels()).isEqualTo(Map.of("scaler.max", "5"));
        assertThat(api.running()).hasValue(1);
        assertThat(engine.listings).hasValue(2);
        assertThat(engine.requests).hasValue(0);
    }

    @Test
    void anEvaluationOfItsOwnAsksForItsServiceAlone() {
        CountingObserver engine = new CountingObserver();
        ComposeDriver driver = new ComposeDriver(engine, (t, s, r) -> null, CLOCK);

        assertThat(driver.observe(target("web"), Tick.alone("n1-alert")).running()).hasValue(3);
        assertThat(engine.listings).hasValue(0);
        assertThat(engine.requests).hasValue(1);
    }

    @Test
    void aFailedListingNamesEachTargetsService() {
        CountingObserver engine = new CountingObserver();
        engine.engineDown = true;
        ComposeDriver driver = new ComposeDriver(engine, (t, s, r) -> null, CLOCK);

        Observation web = driver.observe(target("web"), Tick.ofLoop("t1"));
        Observation api = driver.observe(target("api"), Tick.ofLoop("t1"));

        assertThat(web.running()).isEmpty();
        assertThat(web.failure()).isEqualTo("could not count running replicas of service 'web' in compose project"
                + " 'shop': IllegalStateException: engine down");
        assertThat(api.failure()).startsWith("could not count running replicas of service 'api'");
        assertThat(engine.listings).as("the failed listing is not repeated within the tick").hasValue(1);
    }

    @Test
    void aScaleStartsFromTheObservedCountAndADryRunRunsNothing() {
        CountingObserver engine = new CountingObserver();
        AtomicInteger runs = new AtomicInteger();
        ComposeDriver driver = new ComposeDriver(engine, (t, s, r) -> {
            runs.incrementAndGet();
            return new PlaybookResult(ActionOutcome.SUCCEEDED, 0, CLOCK.instant(), CLOCK.instant(), "ok");
        }, CLOCK);
        Observation seen = driver.observe(target("web"), Tick.ofLoop("t1"));

        ScaleOutcome dry = driver.scale(target("web"), seen, 5, true, Tick.ofLoop("t1"));
        ScaleOutcome done = driver.scale(target("web"), seen, 5, false, Tick.ofLoop("t1"));

        assertThat(dry.summary()).isEqualTo("DRY_RUN");
        assertThat(done.runs()).singleElement().satisfies(r -> {
            assertThat(r.host()).isNull();
            assertThat(r.from()).isEqualTo(3);
            assertThat(r.to()).isEqualTo(5);
            assertThat(r.outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
        });
        assertThat(runs).hasValue(1);
    }

    @Test
    void theExecutorIsToldTheObservedCountAndTheDriverCountsAfter() {
        CountingObserver engine = new CountingObserver();
        List<Integer> told = new java.util.ArrayList<>();
        ComposeDriver driver = new ComposeDriver(engine, new dev.scaler.execution.ScaleExecutor() {
            @Override
            public PlaybookResult scale(String t, ComposeService s, int r) {
                throw new AssertionError("the driver knows the count before and says so");
            }

            @Override
            public PlaybookResult scale(String t, ComposeService s, int r, int before) {
                told.add(before);
                return new PlaybookResult(ActionOutcome.SUCCEEDED, 0, CLOCK.instant(), CLOCK.instant(), "ok");
            }
        }, CLOCK);
        Observation seen = driver.observe(target("web"), Tick.ofLoop("t1"));

        ScaleOutcome done = driver.scale(target("web"), seen, 5, false, Tick.ofLoop("t1"));
        engine.engineDown = true;
        ScaleOutcome blind = driver.scale(target("web"), seen, 5, false, Tick.ofLoop("t1"));

        assertThat(told).containsExactly(3, 3);
        assertThat(done.runs().get(0).text()).isEqualTo("ok\nscaler: running after the run: 3");
        assertThat(blind.runs().get(0).text()).startsWith("ok\nscaler: not counted after the run: could not count");
        assertThat(blind.runs().get(0).outcome()).isEqualTo(ActionOutcome.SUCCEEDED);
    }
}
