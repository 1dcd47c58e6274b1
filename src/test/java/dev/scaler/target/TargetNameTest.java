package dev.scaler.target;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.yaml.YamlPropertySourceLoader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A target name that is not valid stops startup, naming it as written: Micronaut would rename it. */
@Tag("chaos")
class TargetNameTest {

    private static final String RULE = "scaler.targets.<name>: 'web spaced' is not a valid target name (letters,"
            + " digits, '_', '.', '-', starting with a letter or digit); it is never renamed";

    @Test
    void aSpacedNameInYamlIsRefusedNotRenamed() throws java.io.IOException {
        Map<String, Object> yaml = new YamlPropertySourceLoader().read("test.yml", new ByteArrayInputStream("""
                scaler:
                  targets:
                    web spaced:
                      query: up
                      compose-project: demo
                """.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> ApplicationContext.builder().propertySources(PropertySource.of("test.yml", yaml))
                .start().close())
                .hasStackTraceContaining(RULE);
    }

    @Test
    void aSpacedNameInAPropertyMapIsRefused() {
        assertThatThrownBy(() -> ApplicationContext.run(Map.of(
                "scaler.targets.web spaced.query", "up",
                "scaler.targets.web spaced.compose-project", "demo")).close())
                .hasStackTraceContaining(RULE);
    }

    @Test
    void aValidNameStarts() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "scaler.targets.web_app-1.query", "up",
                "scaler.targets.web_app-1.compose-project", "demo",
                "scaler.initial-delay", "1h"))) {
            assertThat(context.getBean(TargetRegistry.class).all()).extracting(Target::name).isNotEmpty();
        }
    }
}
