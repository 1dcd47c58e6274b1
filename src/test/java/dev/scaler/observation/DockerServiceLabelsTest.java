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

    /** What a loop tick answers every compose target from: one listing, the same counts and labels. */
    @Test
    void oneListingAnswersAsTheRequestPerService() throws Exception {
        RealParts.requireDocker();
        RealParts.requireCommand("docker-compose");
        try (ComposeProject compose = new ComposeProject("scalersnap", Map.of("scaler.max", "4", "team", "shop"));
             DockerReplicaObserver observer = new DockerReplicaObserver(null)) {
            assertThat(observer.snapshot().of(compose.name(), ComposeProject.SERVICE)).isEqualTo(ServiceReplicas.NONE);
            compose.up(3);
            ComposeSnapshot all = observer.snapshot();
            assertThat(all.of(compose.name(), ComposeProject.SERVICE))
                    .isEqualTo(new ServiceReplicas(3, Map.of("scaler.max", "4")))
                    .isEqualTo(observer.replicas(compose.name(), ComposeProject.SERVICE));
            assertThat(all.of(compose.name(), "other")).isEqualTo(ServiceReplicas.NONE);
            assertThat(all.of("scalersnap-no-such-project", ComposeProject.SERVICE)).isEqualTo(ServiceReplicas.NONE);
        }
    }

    @Test
    void anUnreachableEngineNamesWhereItListed() {
        try (DockerReplicaObserver nowhere = new DockerReplicaObserver("tcp://127.0.0.1:1", java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(2))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(nowhere::snapshot)
                    .isInstanceOf(ObservationException.class)
                    .hasMessageStartingWith("could not list the running compose containers on tcp://127.0.0.1:1: ");
        }
    }
}
