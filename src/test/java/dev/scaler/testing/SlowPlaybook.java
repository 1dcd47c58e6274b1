package dev.scaler.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's scale.yml behind a first play that sleeps: a real playbook that is slow on purpose. */
public final class SlowPlaybook {

    private SlowPlaybook() {
    }

    /** Writes {@code dir/slow-scale.yml}, which sleeps {@code seconds} and then scales, and returns its path. */
    public static Path write(Path dir, int seconds) throws IOException {
        Path playbook = dir.resolve("slow-scale.yml");
        Files.writeString(playbook, """
                ---
                - name: Take a while first
                  hosts: "{{ scaler_hosts | default('local') }}"
                  gather_facts: false
                  tasks:
                    - name: Sleep
                      ansible.builtin.command:
                        argv: [sleep, "%d"]
                      changed_when: false
                - name: Scale
                  ansible.builtin.import_playbook: %s
                """.formatted(seconds, ScalerApp.repoPath("ansible/scale.yml")));
        return playbook;
    }
}
