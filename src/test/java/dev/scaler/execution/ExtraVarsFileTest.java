package dev.scaler.execution;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtraVarsFileTest {

    @Test
    void stringsAreTaggedUnsafeAndNumbersAndBooleansStayPlain() {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("name", "{{ lookup('pipe','id') }}");
        variables.put("count", 3);
        variables.put("enabled", true);
        variables.put("files", List.of("a.yml", "b \"quoted\".yml"));
        variables.put("dir", Path.of("/srv/web app"));

        String yaml = ExtraVarsFile.render(variables);

        assertThat(yaml).contains("name: !unsafe \"{{ lookup('pipe','id') }}\"")
                .contains("count: 3")
                .contains("enabled: true")
                .contains("- !unsafe \"a.yml\"")
                .contains("- !unsafe \"b \\\"quoted\\\".yml\"")
                .contains("dir: !unsafe \"/srv/web app\"")
                .doesNotContain("!unsafe \"name\"");
    }

    @Test
    void fileIsOwnerOnly() throws Exception {
        Path file = ExtraVarsFile.write(Map.of("a", "b"));
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file)).contains("a: !unsafe \"b\"");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void rejectsNamesAnsibleWouldNotAccept() {
        assertThatThrownBy(() -> ExtraVarsFile.render(Map.of("bad-name", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad-name");
    }
}
