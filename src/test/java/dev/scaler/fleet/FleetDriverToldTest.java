package dev.scaler.fleet;

import dev.scaler.execution.AnsibleRunner;
import dev.scaler.execution.ExecutionConfiguration;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What FleetDriver tells fleet_scale.yml of each changed host, so the role asks the host only to scale. */
class FleetDriverToldTest {

    private final FleetDriver driver = new FleetDriver(new AnsibleRunner(ExecutionConfiguration.defaults()),
            new FleetInventory(ExecutionConfiguration.defaults()), ExecutionConfiguration.defaults());

    private static final FleetPlan PLAN = new FleetPlan(5, 5, Map.of("h1", 2, "h2", 3),
            List.of(new FleetPlan.Change("h1", 1, 2), new FleetPlan.Change("h2", 4, 3)), "split");

    @Test
    void theCountsBeforeAreThePlansAndNoCommandIsKnownBeforeARun() {
        assertThat(driver.told("web", PLAN)).isEqualTo(Map.of(
                "scaler_fleet_before", Map.of("h1", 1, "h2", 4),
                "scaler_fleet_commands", Map.of()));
    }

    @Test
    void eachHostsComposeCommandIsRememberedFromItsResultPerTarget() {
        AnsibleOutput output = AnsibleOutput.of("scaler_result", """
                ok: [h1] => {
                    "msg": "{\\"scaler_result\\": {\\"project\\": \\"p\\", \\"service\\": \\"web\\", \\"before\\": 1, \\"wanted\\": 2, \\"after\\": null, \\"check_mode\\": false, \\"host\\": \\"h1\\", \\"before_given\\": true, \\"after_counted\\": false, \\"compose\\": \\"docker compose\\"}}"
                }
                ok: [h2] => {
                    "msg": "{\\"scaler_result\\": {\\"project\\": \\"p\\", \\"service\\": \\"web\\", \\"before\\": 4, \\"wanted\\": 3, \\"after\\": null, \\"check_mode\\": false, \\"host\\": \\"h2\\", \\"before_given\\": true, \\"after_counted\\": false, \\"compose\\": \\"docker-compose\\"}}"
                }
                """);

        driver.rememberCommands("web", output);

        assertThat(driver.told("web", PLAN)).containsEntry("scaler_fleet_commands", Map.of("h1", "v2", "h2", "v1"));
        assertThat(driver.told("other", PLAN)).containsEntry("scaler_fleet_commands", Map.of());
    }
}
