package dev.scaler.observation;

import dev.scaler.execution.ComposeService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A service's scaler.* labels from its compose files, for when no container runs. */
class ComposeFileLabelsTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultFileAsAMapOfLabels() throws IOException {
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  web:
                    image: x
                    labels:
                      scaler.max: "3"
                      scaler.enable: false
                      team: shop
                  db:
                    labels: {scaler.max: "1"}
                """);
        assertThat(ComposeFileLabels.read(new ComposeService("p", dir, List.of(), "web")))
                .isEqualTo(Map.of("scaler.max", "3", "scaler.enable", "false"));
    }

    @Test
    void namedFilesInOrderTheLaterWinsAndListLabelsToo() throws IOException {
        Files.writeString(dir.resolve("base.yml"), """
                services:
                  web:
                    labels: ["scaler.max=3", "scaler.min=1"]
                """);
        Files.writeString(dir.resolve("prod.yml"), """
                services:
                  web:
                    labels:
                      - scaler.max=6
                """);
        assertThat(ComposeFileLabels.read(new ComposeService("p", dir, List.of(Path.of("base.yml"), Path.of("prod.yml")),
                "web"))).isEqualTo(Map.of("scaler.max", "6", "scaler.min", "1"));
    }

    @Test
    void noFileOrNoLabelsIsNoLabels() throws IOException {
        assertThat(ComposeFileLabels.read(new ComposeService("p", dir, List.of(), "web"))).isEmpty();
        Files.writeString(dir.resolve("compose.yaml"), "services:\n  web:\n    image: x\n");
        assertThat(ComposeFileLabels.read(new ComposeService("p", dir, List.of(), "web"))).isEmpty();
    }
}
