package dev.scaler.fleet;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnsibleOutputTest {

    static final String RUN = """
            PLAY [Report] ******************************************************************

            TASK [compose_report : Report the count] ***************************************
            ok: [h1] => {
                "msg": "{\\"scaler_report\\": {\\"host\\": \\"h1\\", \\"project\\": \\"p1\\", \\"service\\": \\"webapp\\", \\"running\\": 2}}"
            }
            fatal: [h2]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: Host key verification failed.", "unreachable": true}
            ok: [h3] => {
                "msg": "{\\"scaler_report\\": {\\"host\\": \\"h3\\", \\"project\\": \\"p3\\", \\"service\\": \\"webapp\\", \\"running\\": 0}}"
            }

            PLAY RECAP *********************************************************************
            h1                         : ok=3    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
            h2                         : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0
            h3                         : ok=3    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
            """;

    @Test
    void readsResultsRecapAndFatalLines() {
        AnsibleOutput out = AnsibleOutput.of("scaler_report", RUN);

        assertThat(out.results()).containsOnlyKeys("h1", "h3");
        assertThat(out.results().get("h1")).containsEntry("running", 2).containsEntry("project", "p1");
        assertThat(out.recap().get("h1").succeeded()).isTrue();
        assertThat(out.recap().get("h2").unreachable()).isEqualTo(1);
        assertThat(out.recap().get("h2").succeeded()).isFalse();
        assertThat(out.fatal("h2")).contains("Host key verification failed");
        assertThat(out.fatal("h1")).isEmpty();
    }

    @Test
    void otherResultKeysAndGarbageAreIgnored() {
        AnsibleOutput out = AnsibleOutput.of("scaler_result", RUN + "\n    \"msg\": \"{\\\"scaler_result\\\": not json\"\n");

        assertThat(out.results()).isEmpty();
        assertThat(out.recap()).hasSize(3);
    }

    @Test
    void inventoryListGivesTheGroupsHostsWithTheirVariables() {
        String list = """
                {"_meta": {"hostvars": {
                    "h1": {"ansible_host": "127.0.0.2", "scaler_weight": 2, "scaler_max_replicas": 4},
                    "h2": {"ansible_host": "127.0.0.3"},
                    "h3": {"scaler_weight": "0.5"}}},
                 "all": {"children": ["ungrouped", "fleet"]},
                 "fleet": {"children": ["east", "west"]},
                 "east": {"hosts": ["h1", "h2"]},
                 "west": {"hosts": ["h3", "h1"]}}
                """;

        List<FleetHost> hosts = FleetInventory.hostsOf("fleet", list, "inv");

        assertThat(hosts).containsExactly(new FleetHost("h1", 2, 4), new FleetHost("h2", 1, null),
                new FleetHost("h3", 0.5, null));
        assertThatThrownBy(() -> FleetInventory.hostsOf("nope", list, "inv")).hasMessage("inventory inv: no group 'nope'");
        assertThatThrownBy(() -> FleetInventory.hostsOf("fleet", list.replace("\"0.5\"", "\"lots\""), "inv"))
                .hasMessage("host h3: scaler_weight 'lots' is not a number");
    }
}
