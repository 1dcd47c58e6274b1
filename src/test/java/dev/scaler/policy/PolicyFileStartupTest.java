package dev.scaler.policy;

import dev.scaler.target.Target;
import dev.scaler.target.TargetRegistry;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Tag;
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
    @Test
    @Tag("chaos")
    void twoTargetsOnOneServiceAreRefusedFromEachSourceNamingBothAndWhereTheyComeFrom() throws IOException {
        // scaler.targets alone
        assertThatThrownBy(() -> ApplicationContext.run(Map.of(
                "scaler.targets.api.query", "up", "scaler.targets.api.compose-project", "shop",
                "scaler.targets.api.service", "web",
                "scaler.targets.web.query", "up", "scaler.targets.web.compose-project", "shop")))
                .hasStackTraceContaining("scaler.targets.web: scales compose shop/web, which target 'api'"
                        + " (scaler.targets.api) already scales");
        // the policy file alone, at startup
        Path twice = Files.writeString(dir.resolve("twice.yml"), """
                targets:
                  a: {query: up, swarm-service: shop_web}
                  b: {query: up, swarm-service: shop_web}
                """);
        assertThatThrownBy(() -> ApplicationContext.run(Map.of("scaler.policy-file", twice.toString())))
                .hasStackTraceContaining(twice + ": targets.b: scales swarm shop_web, which target 'a' ("
                        + twice + ": targets.a) already scales");
        // the file against scaler.targets, at startup and in a reload
        Path file = Files.writeString(dir.resolve("policy.yml"), """
                targets:
                  shop-web: {query: up, compose-project: shop, service: web}
                """);
        assertThatThrownBy(() -> ApplicationContext.run(Map.of("scaler.policy-file", file.toString(),
                "scaler.targets.web.query", "up", "scaler.targets.web.compose-project", "shop")))
                .hasStackTraceContaining(file + ": targets.shop-web: scales compose shop/web, which target 'web'"
                        + " (scaler.targets.web) already scales");
        Path fine = Files.writeString(dir.resolve("fine.yml"), """
                targets:
                  shop-api: {query: up, compose-project: shop, service: api}
                """);
        try (ApplicationContext context = ApplicationContext.run(Map.of("scaler.policy-file", fine.toString(),
                "scaler.targets.web.query", "up", "scaler.targets.web.compose-project", "shop"))) {
            TargetRegistry registry = context.getBean(TargetRegistry.class);
            var clash = PolicyReader.parse(fine.toString(), """
                    targets:
                      shop-api: {query: up, compose-project: shop, service: api}
                      also-web: {query: up, compose-project: shop, service: web}
                    """, Path.of("inventories/local/hosts.yml"));
            assertThatThrownBy(() -> registry.replaceFileTargets(fine.toString(), clash.targets()))
                    .hasMessageContaining(fine + ": targets.also-web: scales compose shop/web, which target 'web'"
                            + " (scaler.targets.web) already scales");
            assertThat(registry.all()).as("nothing changed").extracting(Target::name).containsExactly("shop-api", "web");
        }
    }
}
