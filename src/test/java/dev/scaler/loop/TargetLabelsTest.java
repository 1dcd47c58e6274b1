package dev.scaler.loop;

import dev.scaler.observation.ObservationException;
import dev.scaler.observation.ReplicaObserver;
import dev.scaler.policy.LabelOverrides;
import dev.scaler.target.Target;
import dev.scaler.target.TargetProperties;
import dev.scaler.target.Targets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a target's labels come from: its running containers, its compose file while none runs, else none. */
class TargetLabelsTest {

    @TempDir
    Path dir;

    /** Running containers carry scaler.max=3; the compose file says 6. */
    final ReplicaObserver observer = new ReplicaObserver() {
        @Override
        public int runningReplicas(String composeProject, String service) {
            return 1;
        }

        @Override
        public Map<String, String> scalerLabels(String composeProject, String service) {
            return Map.of(LabelOverrides.MAX, "3");
        }
    };

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

    @Test
    void runningContainersLabelsWin() throws IOException {
        LabelOverrides.Effective e = new TargetLabels(observer, null).effective(target(), "t1", OptionalInt.of(2));
        assertThat(e.policy().maxReplicas()).isEqualTo(3);
    }

    @Test
    void withNoneRunningTheComposeFileIsRead() throws IOException {
        LabelOverrides.Effective e = new TargetLabels(observer, null).effective(target(), "t1", OptionalInt.of(0));
        assertThat(e.policy().maxReplicas()).isEqualTo(6);
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
        LabelOverrides.Effective e = new TargetLabels(down, null).effective(target(), "t1", OptionalInt.empty());
        assertThat(e.policy().maxReplicas()).isEqualTo(4);
        assertThat(e.fromLabels()).isEmpty();
    }
}
