package dev.scaler.containers;

import dev.scaler.fleet.AnsibleOutput;
import dev.scaler.fleet.FleetDriver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A host's docker lines into usage per container (pure), and the role's line as Ansible prints it. */
class FleetStatsCollectorTest {

    static final String ID1 = "aeeab0523b79f0a4d275ee8303ffdca5fac9c597dddc9aa8098c7e92b0b21323";
    static final String ID2 = "24f51b76fbe0dc437ca8226cac8f7b944f4b1437a6621468360edd315fd59c25";

    /** The role's report as ansible-playbook 2.14 printed it on this machine (two containers limited to 0.5 CPU). */
    static final String RECORDED = """
            ok: [h1] => {
                "msg": "{\\"scaler_stats\\": {\\"host\\": \\"h1\\", \\"project\\": \\"fsprobe\\", \\"service\\": \\"web\\", \\"limits\\": [\\"%1$s 500000000 0 0\\", \\"%2$s 0 0 0\\"], \\"stats\\": [\\"{\\\\\\"BlockIO\\\\\\":\\\\\\"0B / 0B\\\\\\",\\\\\\"CPUPerc\\\\\\":\\\\\\"48.04%%\\\\\\",\\\\\\"Container\\\\\\":\\\\\\"%1$s\\\\\\",\\\\\\"ID\\\\\\":\\\\\\"aeeab0523b79\\\\\\",\\\\\\"MemPerc\\\\\\":\\\\\\"0.00%%\\\\\\",\\\\\\"MemUsage\\\\\\":\\\\\\"308KiB / 23.54GiB\\\\\\",\\\\\\"Name\\\\\\":\\\\\\"fsprobe-web-2\\\\\\",\\\\\\"NetIO\\\\\\":\\\\\\"586B / 0B\\\\\\",\\\\\\"PIDs\\\\\\":\\\\\\"1\\\\\\"}\\", \\"{\\\\\\"BlockIO\\\\\\":\\\\\\"0B / 0B\\\\\\",\\\\\\"CPUPerc\\\\\\":\\\\\\"98.00%%\\\\\\",\\\\\\"Container\\\\\\":\\\\\\"%2$s\\\\\\",\\\\\\"ID\\\\\\":\\\\\\"24f51b76fbe0\\\\\\",\\\\\\"MemPerc\\\\\\":\\\\\\"0.00%%\\\\\\",\\\\\\"MemUsage\\\\\\":\\\\\\"316KiB / 23.54GiB\\\\\\",\\\\\\"Name\\\\\\":\\\\\\"fsprobe-web-1\\\\\\",\\\\\\"NetIO\\\\\\":\\\\\\"1.5kB / 0B\\\\\\",\\\\\\"PIDs\\\\\\":\\\\\\"1\\\\\\"}\\"], \\"rc\\": 0, \\"error\\": \\"\\"}}"
            }
            """.formatted(ID1, ID2);

    final List<String> unreadable = new ArrayList<>();

    Map<ContainerRef, ContainerUsage> usages(FleetDriver.HostStats host) {
        return FleetStatsCollector.usages("shop", host, (c, why) -> unreadable.add(c + ": " + why));
    }

    @SuppressWarnings("unchecked")
    static FleetDriver.HostStats recorded() {
        Map<String, Object> r = AnsibleOutput.of("scaler_stats", RECORDED).results().get("h1");
        assertThat(r).as("the scaler_stats line read back").isNotNull();
        return new FleetDriver.HostStats("h1", (String) r.get("project"), (String) r.get("service"),
                (List<String>) r.get("limits"), (List<String>) r.get("stats"), "");
    }

    @Test
    void theRolesLineGivesEachContainerItsLabelsAndTheLocalCollectorsRatios() {
        Map<ContainerRef, ContainerUsage> u = usages(recorded());
        assertThat(unreadable).isEmpty();
        ContainerRef limited = new ContainerRef(ID1, "shop", "fsprobe", "web", "fsprobe-web-2", "h1");
        ContainerRef unlimited = new ContainerRef(ID2, "shop", "fsprobe", "web", "fsprobe-web-1", "h1");
        assertThat(u).containsOnlyKeys(limited, unlimited);
        assertThat(u.get(limited).cpuRatio()).as("48.04 %% of one core over a 0.5 limit").isCloseTo(0.9608, within(1e-9));
        assertThat(u.get(unlimited).cpuRatio()).as("98 %% of one core, no limit").isCloseTo(0.98, within(1e-9));
        assertThat(u.get(limited).memoryBytes()).isEqualTo(308 * 1024);
        assertThat(u.get(unlimited).networkReceivedBytes()).isEqualTo(1500);
    }

    @Test
    void badLinesAndContainersWithoutALimitAreLeftOutWithTheReason() {
        FleetDriver.HostStats r = recorded();
        String unknown = r.stats().get(0).replaceAll("\"CPUPerc\":\"[^\"]*\"", "\"CPUPerc\":\"--\"")
                .replaceAll("\"MemUsage\":\"[^\"]*\"", "\"MemUsage\":\"-- / --\"");
        FleetDriver.HostStats host = new FleetDriver.HostStats("h1", "fsprobe", "web",
                List.of(ID2 + " 0 0 0", "zzz 1 2 3", ID1.substring(0, 20) + " x 0 0"),
                List.of(unknown, r.stats().get(1), "Error: no such thing", r.stats().get(1).replace("24f51b76fbe0",
                        "0123456789ab").replace("fsprobe-web-1", "fsprobe-web-9")), "");
        Map<ContainerRef, ContainerUsage> u = usages(host);
        assertThat(u.keySet()).extracting(ContainerRef::container).containsExactly("fsprobe-web-1");
        assertThat(unreadable).containsExactly(
                "zzz 1 2 3: docker inspect line 'zzz 1 2 3' is not 'ID NanoCpus CpuQuota CpuPeriod'",
                ID1.substring(0, 20) + " x 0 0: docker inspect line '" + ID1.substring(0, 20)
                        + " x 0 0': NanoCpus 'x' is not a number",
                "fsprobe-web-2: no CPU limit read for container id aeeab0523b79",
                "Error: no such thing: docker stats line is not a JSON object: 'Error: no such thing'",
                "fsprobe-web-9: no CPU limit read for container id 0123456789ab");
        // the -- line fails on its limit first here; with a limit it is left out as unreadable
        unreadable.clear();
        Map<ContainerRef, ContainerUsage> v = usages(new FleetDriver.HostStats("h1", "p", "s", List.of(ID1 + " 0 0 0"),
                List.of(unknown), ""));
        assertThat(v).isEmpty();
        assertThat(unreadable).containsExactly("fsprobe-web-2: docker stats showed -- (it could not read the container)");
    }
}
