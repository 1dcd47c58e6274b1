package dev.scaler.loop;

import dev.scaler.compose.ComposeDriver;
import dev.scaler.execution.PlaybookResult;
import dev.scaler.observation.ObservationException;
import dev.scaler.observation.ReplicaObserver;
import dev.scaler.policy.LabelOverrides;
import dev.scaler.target.Target;
import dev.scaler.target.TargetProperties;
import dev.scaler.target.Targets;
import dev.scaler.target.Tick;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a compose target's labels come from: its running containers, its compose file while none runs, else
 * none; and that the policy applies them.
 */
class TargetLabelsTest {

    @TempDir
    Path dir;

    static ReplicaObserver running(int replicas) {
        return new ReplicaObserver() {
            @Override
            public int runningReplicas(String composeProject, String service) {
                return replicas;
            }

            /** Running containers carry scaler.max=3; the compose file says 6. */
            @Override
            public Map<String, String> scalerLabels(String composeProject, String service) {
                return Map.of(LabelOverrides.MAX, "3");
            }
        };
    }

    Target target() throws IOException {
        Files.writeString(dir.resolve("compose.yml"), """
                services:
                  web:
                    labels:
                      scaler.max: "6"
                """);
        return Targets.from(new TargetProperties("web", "up", "demo", dir.toString(), null, null, "1", "4", null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null));
    }

    static LabelOverrides.Effective effective(ReplicaObserver observer, Target target) {
        ComposeDriver driver = new ComposeDriver(observer, (name, service, replicas) -> {
            throw new AssertionError("nothing scales here");
        }, Clock.systemUTC());
        return TargetLabels.effective(target, "t1", driver.observe(target, Tick.alone("t1")));
    }

    @Test
    void runningContainersLabelsWin() throws IOException {
        assertThat(effective(running(2), target()).policy().maxReplicas()).isEqualTo(3);
    }

    @Test
    void withNoneRunningTheComposeFileIsRead() throws IOException {
        assertThat(effective(running(0), target()).policy().maxReplicas()).isEqualTo(6);
    }

    @Test
    void anEditedComposeFileIsReadAgain() throws IOException {
        Target target = target();
        assertThat(effective(running(0), target).policy().maxReplicas()).isEqualTo(6);
        ComposeDriver driver = new ComposeDriver(running(0), (name, service, replicas) -> PlaybookResult.dryRun(
                java.time.Instant.EPOCH), Clock.systemUTC());
        assertThat(driver.observe(target, Tick.alone("t1")).scalerLabels()).containsEntry(LabelOverrides.MAX, "6");
        Files.writeString(dir.resolve("compose.yml"), """
                services:
                  web:
                    labels:
                      scaler.max: "5"
                      scaler.min: "2"
                """);
        assertThat(driver.observe(target, Tick.alone("t2")).scalerLabels())
                .containsEntry(LabelOverrides.MAX, "5");
    }

    @Test
    void labelsThatCannotBeReadLeaveThePolicyAsWritten() throws IOException {
        ReplicaObserver down = new ReplicaObserver() {
            @Override
            public int runningReplicas(String composeProject, String service) throws ObservationException {
                throw new ObservationException("engine down", null);
            }

            @Override
            public Map<String, String> scalerLabels(String composeProject, String service) throws ObservationException {
                throw new ObservationException("engine down", null);
            }
        };
        LabelOverrides.Effective e = effective(down, target());
        assertThat(e.policy().maxReplicas()).isEqualTo(4);
        assertThat(e.fromLabels()).isEmpty();
    }
}
