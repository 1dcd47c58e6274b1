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

    @Test
    void theCacheReadsAChangedFileAgainButOneTickLooksAtAFileOnce() throws IOException {
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, "services:\n  web:\n    labels: {scaler.max: \"3\"}\n  api:\n    labels: {scaler.max: \"4\"}\n");
        ComposeService web = new ComposeService("p", dir, List.of(), "web");
        ComposeService api = new ComposeService("p", dir, List.of(), "api");
        ComposeFileLabels.Cache cache = new ComposeFileLabels.Cache();
        assertThat(cache.read(web, "t1")).isEqualTo(Map.of("scaler.max", "3"));

        // changed during tick t1, after web was read: t1 does not look at the file again
        Files.writeString(file, "services:\n  web:\n    labels: {scaler.max: \"5\"}\n  api:\n    labels: {scaler.max: \"6\"}\n"
                + "# longer, so the size tells even within the file system's time resolution\n");
        assertThat(cache.read(web, "t1")).isEqualTo(Map.of("scaler.max", "3"));

        // the next tick, and an evaluation of its own, look again
        assertThat(cache.read(web, "t2")).isEqualTo(Map.of("scaler.max", "5"));
        assertThat(cache.read(api)).isEqualTo(Map.of("scaler.max", "6"));
    }

    @Test
    void aFileThatCannotBeReadFailsEveryTargetOfTheTick() throws IOException {
        ComposeService web = new ComposeService("p", dir, List.of(Path.of("missing.yml")), "web");
        ComposeFileLabels.Cache cache = new ComposeFileLabels.Cache();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.read(web, "t1")).isInstanceOf(IOException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.read(web, "t1")).isInstanceOf(IOException.class);
        Files.writeString(dir.resolve("missing.yml"), "services:\n  web:\n    labels: [scaler.max=2]\n");
        assertThat(cache.read(web, "t2")).isEqualTo(Map.of("scaler.max", "2"));
    }
}
