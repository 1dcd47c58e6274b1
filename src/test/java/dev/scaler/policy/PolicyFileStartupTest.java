package dev.scaler.policy;

import dev.scaler.target.Target;
import dev.scaler.target.TargetRegistry;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** scaler.policy-file and scaler.policy-reload-interval as configuration, with the registry they fill. */
class PolicyFileStartupTest {

    @TempDir
    Path dir;

    @Test
    void theFilesTargetsJoinThoseOfScalerTargetsAndSayWhereTheyComeFrom() throws IOException {
        Path file = Files.writeString(dir.resolve("policy.yml"), """
                targets:
                  web:
                    query: up
                    compose-project: shop
                    max-replicas: 7
                """);
        try (ApplicationContext context = ApplicationContext.run(Map.of("scaler.policy-file", file.toString(),
                "scaler.targets.api.query", "up", "scaler.targets.api.compose-project", "shop"))) {
            TargetRegistry registry = context.getBean(TargetRegistry.class);
            assertThat(registry.all()).extracting(Target::name).containsExactly("api", "web");
            assertThat(registry.find("web").orElseThrow().policy().maxReplicas()).isEqualTo(7);
            assertThat(registry.sourceOf("web")).isEqualTo(file.toString());
            assertThat(registry.sourceOf("api")).isEqualTo(TargetRegistry.CONFIGURATION);
            assertThat(context.getBean(PolicyStatus.class).get().source()).isEqualTo(file.toString());
        }
    }

    @Test
    void withoutAPolicyFileNothingWatches() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertThat(context.findBean(PolicyFileWatcher.class)).isEmpty();
            assertThat(context.getBean(PolicyStatus.class).error()).isNull();
        }
    }

    @Test
    void aReloadIntervalThatIsNotPositiveStopsStartupNamingTheKey() throws IOException {
        Path file = Files.writeString(dir.resolve("policy.yml"), "targets:\n");
        assertThatThrownBy(() -> ApplicationContext.run(Map.of("scaler.policy-file", file.toString(),
                "scaler.policy-reload-interval", "0s")))
                .hasStackTraceContaining("scaler.policy-reload-interval: '0s' must be more than 0");
    }

    @Test
    void aMissingFileStopsStartupNamingIt() {
        Path file = dir.resolve("none.yml");
        assertThatThrownBy(() -> ApplicationContext.run(Map.of("scaler.policy-file", file.toString())))
                .hasStackTraceContaining(file + ": does not exist");
    }

    @Test
    void aReplacementReportsAddedRemovedAndChangedAndRefusesANameOfScalerTargets() throws IOException {
        Path file = Files.writeString(dir.resolve("policy.yml"), """
                targets:
                  web: {query: up, compose-project: shop}
                  old: {query: up, compose-project: shop}
                """);
        try (ApplicationContext context = ApplicationContext.run(Map.of("scaler.policy-file", file.toString(),
                "scaler.targets.api.query", "up", "scaler.targets.api.compose-project", "shop"))) {
            TargetRegistry registry = context.getBean(TargetRegistry.class);
            var next = PolicyReader.parse(file.toString(), """
                    targets:
                      web: {query: up, compose-project: shop, max-replicas: 3}
                      new: {query: up, compose-project: shop}
                    """, Path.of("inventories/local/hosts.yml"));
            TargetRegistry.Changes changes = registry.replaceFileTargets(file.toString(), next.targets());
            assertThat(changes.added()).containsExactly("new");
            assertThat(changes.removed()).containsExactly("old");
            assertThat(changes.changed()).containsExactly("web");
            assertThat(registry.all()).extracting(Target::name).containsExactly("api", "new", "web");

            var clash = PolicyReader.parse(file.toString(), "targets:\n  api: {query: up, compose-project: x}\n",
                    Path.of("inventories/local/hosts.yml"));
            assertThatThrownBy(() -> registry.replaceFileTargets(file.toString(), clash.targets()))
                    .hasMessageContaining(file + ": targets.api: is also defined in scaler.targets.api");
            assertThat(registry.all()).as("nothing changed").extracting(Target::name).containsExactly("api", "new", "web");
        }
    }
}
