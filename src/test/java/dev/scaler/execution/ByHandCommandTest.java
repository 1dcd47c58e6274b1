package dev.scaler.execution;

import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The command docs/ansible.md tells people to run works, as written (example values swapped for test ones). */
class ByHandCommandTest {

    private static final String PREFIX = "ANSIBLE_CONFIG=ansible/ansible.cfg ansible-playbook ";

    @Test
    void documentedCommandScalesTheService() throws Exception {
        RealParts.requireDocker();
        RealParts.requireCommand("ansible-playbook");
        RealParts.requireCommand("docker-compose");
        String documented = Files.readAllLines(Path.of("docs/ansible.md")).stream()
                .filter(line -> line.startsWith(PREFIX)).findFirst()
                .orElseThrow(() -> new AssertionError("docs/ansible.md has no line starting with " + PREFIX));
        assertThat(documented).contains("compose_scale_project_dir=/srv/webapp ")
                .contains("compose_scale_project_name=webapp ").contains("compose_scale_replicas=3");

        String project = TestProjects.uniqueName();
        Path directory = TestProjects.createDirectory();
        try {
            // The documented line has no quoting, so splitting on spaces gives exactly the shell's words.
            List<String> words = new ArrayList<>(Arrays.asList(documented.split(" +")));
            String environment = words.remove(0);
            List<String> argv = words.stream()
                    .map(w -> w.replace("compose_scale_project_dir=/srv/webapp", "compose_scale_project_dir=" + directory))
                    .map(w -> w.replace("compose_scale_project_name=webapp", "compose_scale_project_name=" + project))
                    .toList();
            ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
            builder.environment().put("ANSIBLE_CONFIG", environment.substring("ANSIBLE_CONFIG=".length()));
            builder.environment().put("ANSIBLE_NOCOLOR", "1");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();

            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("\\\"wanted\\\": 3, \\\"after\\\": 3");
        } finally {
            TestProjects.down(project, directory);
        }
    }
}
