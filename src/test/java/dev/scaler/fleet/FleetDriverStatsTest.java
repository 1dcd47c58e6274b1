package dev.scaler.fleet;

import dev.scaler.execution.ActionOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Each host's answer to fleet_stats.yml, or why it has none, from the run's output. */
class FleetDriverStatsTest {

    static final List<FleetHost> HOSTS = List.of("h1", "h2", "h3", "h4", "h5").stream()
            .map(h -> new FleetHost(h, 1, null)).toList();

    static final String OUTPUT = """
            ok: [h1] => {
                "msg": "{\\"scaler_stats\\": {\\"host\\": \\"h1\\", \\"project\\": \\"p1\\", \\"service\\": \\"web\\", \\"limits\\": [\\"abc 0 0 0\\"], \\"stats\\": [\\"{}\\"], \\"rc\\": 0, \\"error\\": \\"\\"}}"
            }
            fatal: [h2]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: ssh: connect to host 127.0.0.3 port 2298: Connection refused", "unreachable": true}
            fatal: [h3]: FAILED! => {"msg": "compose_stats_project_name must match ^[a-z0-9][a-z0-9_-]*$, got 'Bad'"}
            ok: [h4] => {
                "msg": "{\\"scaler_stats\\": {\\"host\\": \\"h4\\", \\"project\\": \\"p4\\", \\"service\\": \\"web\\", \\"limits\\": [], \\"stats\\": [], \\"rc\\": 1, \\"error\\": \\"Error response from daemon: No such container: 0123\\"}}"
            }

            PLAY RECAP *********************************************************************
            h1                         : ok=6    changed=0    unreachable=0    failed=0    skipped=2    rescued=0    ignored=0
            h2                         : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0
            h3                         : ok=0    changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0
            h4                         : ok=6    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
            """;

    @Test
    void everyHostHasItsLinesOrItsProblem() {
        Map<String, FleetDriver.HostStats> stats = FleetDriver.hostStats(HOSTS,
                AnsibleOutput.of("scaler_stats", OUTPUT), ActionOutcome.FAILED).stream()
                .collect(Collectors.toMap(FleetDriver.HostStats::host, Function.identity()));

        assertThat(stats.get("h1").answered()).isTrue();
        assertThat(stats.get("h1").project()).isEqualTo("p1");
        assertThat(stats.get("h1").service()).isEqualTo("web");
        assertThat(stats.get("h1").limits()).containsExactly("abc 0 0 0");
        assertThat(stats.get("h1").stats()).containsExactly("{}");
        assertThat(stats.get("h2").problem()).startsWith("unreachable (connection refused): ")
                .contains("Connection refused");
        assertThat(stats.get("h3").problem()).isEqualTo("stats run failed: FAILED! => {\"msg\": \"compose_stats_project_name"
                + " must match ^[a-z0-9][a-z0-9_-]*$, got 'Bad'\"}");
        assertThat(stats.get("h4").problem())
                .isEqualTo("docker stats exited with 1: Error response from daemon: No such container: 0123");
        assertThat(stats.get("h5").problem()).isEqualTo("no answer from the stats run (FAILED)");
        assertThat(stats.values()).filteredOn(s -> !s.answered()).allMatch(s -> s.stats().isEmpty());
    }
}
