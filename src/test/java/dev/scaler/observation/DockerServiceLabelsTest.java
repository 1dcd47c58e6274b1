package dev.scaler.observation;

import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The scaler.* labels of a compose service, read from its containers on the real Docker engine. */
class DockerServiceLabelsTest {

    @Test
    void theScalerLabelsOfTheServiceAndNoOthers() throws Exception {
        RealParts.requireDocker();
        RealParts.requireCommand("docker-compose");
        try (ComposeProject compose = new ComposeProject("scalerlabels",
                Map.of("scaler.max", "2", "scaler.enable", "true", "team", "shop"));
             DockerReplicaObserver observer = new DockerReplicaObserver(null)) {
            assertThat(observer.scalerLabels(compose.name(), ComposeProject.SERVICE))
                    .as("no container runs: no labels").isEmpty();
            compose.up(2);
            assertThat(observer.scalerLabels(compose.name(), ComposeProject.SERVICE))
                    .isEqualTo(Map.of("scaler.max", "2", "scaler.enable", "true"));
            assertThat(observer.scalerLabels(compose.name(), "other")).isEmpty();
        }
    }
}
