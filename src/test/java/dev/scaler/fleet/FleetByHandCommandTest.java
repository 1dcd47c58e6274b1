package dev.scaler.fleet;

import dev.scaler.testing.SecondLane;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.SshFleet;
import dev.scaler.testing.SshFleet.Run;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet commands README.md tells people to run (scale, report, stats) work, as written: run through a shell (they use its
 * quoting), with only the example inventory and group swapped for a real three-host test fleet.
 */
@SecondLane
class FleetByHandCommandTest {

    private static final String PREFIX = "ANSIBLE_CONFIG=ansible/ansible.cfg ansible-playbook -i inventories/example-fleet ";

    @Test
    void documentedFleetCommandsScaleAndReport() throws Exception {
        List<String> documented = Files.readAllLines(Path.of("README.md")).stream()
                .filter(line -> line.startsWith(PREFIX)).toList();
        assertThat(documented).hasSize(3);
        String scale = documented.get(0);
        String report = documented.get(1);
        String stats = documented.get(2);
        assertThat(scale).contains("ansible/fleet_scale.yml").contains("\"scaler_hosts\": \"web\"")
                .contains("\"scaler_fleet_replicas\": {\"h1\": 4, \"h2\": 2, \"h3\": 2}");
        assertThat(report).contains("ansible/fleet_report.yml").contains("\"scaler_hosts\": \"web\"");
        assertThat(stats).contains("ansible/fleet_stats.yml").contains("\"scaler_hosts\": \"web\"");
        // The example inventory lists the same hosts as the test fleet, so only the path and group change.
        assertThat(Files.readString(Path.of("inventories/example-fleet/hosts.yml")))
                .contains("web:").contains("h1:").contains("h2:").contains("h3:");
        RealParts.requireCommand("bash");

        try (SshFleet fleet = SshFleet.start(3)) {
            Run scaled = byHand(scale, fleet);

            assertThat(scaled.exitCode()).as(scaled.output()).isZero();
            assertThat(scaled.output()).contains("\\\"wanted\\\": 4, \\\"after\\\": 4");
            assertThat(List.of(fleet.running("h1"), fleet.running("h2"), fleet.running("h3"))).containsExactly(4, 2, 2);

            Run reported = byHand(report, fleet);

            assertThat(reported.exitCode()).as(reported.output()).isZero();
            assertThat(reported.reported()).isEqualTo(Map.of("h1", 4, "h2", 2, "h3", 2));

            Run measured = byHand(stats, fleet);

            assertThat(measured.exitCode()).as(measured.output()).isZero();
            Map<String, Map<String, Object>> perHost = AnsibleOutput.of("scaler_stats", measured.output()).results();
            assertThat(perHost).containsOnlyKeys("h1", "h2", "h3");
            assertThat((List<?>) perHost.get("h1").get("stats")).as("one docker stats line per container").hasSize(4);
            assertThat((List<?>) perHost.get("h3").get("stats")).hasSize(2);
        }
    }

    private static Run byHand(String documented, SshFleet fleet) {
        String command = documented.replace("-i inventories/example-fleet ", "-i " + fleet.inventory() + " ")
                .replace("\"scaler_hosts\": \"web\"", "\"scaler_hosts\": \"" + SshFleet.GROUP + "\"");
        return SshFleet.run(List.of("bash", "-c", command), Map.of(), Duration.ofMinutes(5));
    }
}
