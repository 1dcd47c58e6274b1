package dev.scaler.observation;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DockerReplicaObserverTest {

    @Test
    void unreachableEngineFailsPromptlyWithAClearMessage() {
        try (DockerReplicaObserver observer = new DockerReplicaObserver("tcp://127.0.0.1:1",
                Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            Instant started = Instant.now();

            assertThatThrownBy(() -> observer.runningReplicas("webapp", "web"))
                    .isInstanceOf(ObservationException.class)
                    .hasMessageContaining("service 'web'")
                    .hasMessageContaining("compose project 'webapp'")
                    .hasMessageContaining("127.0.0.1:1");
            assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(10));
        }
    }
}
