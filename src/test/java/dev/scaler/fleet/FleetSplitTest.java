package dev.scaler.fleet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Table of fleet splits: hosts as "name:weight:cap:running" (cap "-" for none, running "x" for unreachable). */
class FleetSplitTest {

    record Case(String name, int total, String hosts, boolean move, Map<String, Integer> lastKnown,
                String expected, String changes, int shortfall) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, int total, String hosts, String expected, String changes) {
        return new Case(name, total, hosts, true, Map.of(), expected, changes, 0);
    }

    static Stream<Case> cases() {
        return Stream.of(
                c("empty fleet starts evenly", 3, "h1:1:-:0 h2:1:-:0 h3:1:-:0", "h1=1 h2=1 h3=1",
                        "h1 0->1, h2 0->1, h3 0->1"),
                c("a remainder goes to the first host by name", 4, "h1:1:-:0 h2:1:-:0 h3:1:-:0", "h1=2 h2=1 h3=1",
                        "h1 0->2, h2 0->1, h3 0->1"),
                c("weights split proportionally", 6, "h1:2:-:0 h2:1:-:0", "h1=4 h2=2", "h1 0->4, h2 0->2"),
                c("unequal weights with a remainder", 3, "big:2:-:0 small:1:-:0", "big=2 small=1",
                        "big 0->2, small 0->1"),
                c("scale-up adds only, to the host furthest below its share", 4, "h1:1:-:1 h2:1:-:1 h3:1:-:1",
                        "h1=2 h2=1 h3=1", "h1 1->2"),
                c("scale-down removes only, from the host furthest above its share", 2, "h1:1:-:1 h2:1:-:1 h3:1:-:1",
                        "h1=1 h2=1 h3=0", "h3 1->0"),
                c("an unbalanced fleet is not rebalanced for its own sake", 4, "h1:1:-:4 h2:1:-:0", "h1=4 h2=0", ""),
                c("an unbalanced fleet grows where it is short", 6, "h1:1:-:4 h2:1:-:0", "h1=4 h2=2", "h2 0->2"),
                c("an unbalanced fleet shrinks where it is heavy", 2, "h1:1:-:4 h2:1:-:1", "h1=1 h2=1", "h1 4->1"),
                c("caps are respected", 6, "h1:1:1:0 h2:1:-:0 h3:1:-:0", "h1=1 h2=3 h3=2",
                        "h1 0->1, h2 0->3, h3 0->2"),
                c("a cap of zero takes nothing", 2, "h1:1:0:0 h2:1:-:0", "h1=0 h2=2", "h2 0->2"),
                c("a host above its cap gives back the excess", 5, "h1:1:2:4 h2:1:-:1", "h1=2 h2=3", "h1 4->2, h2 1->3"),
                c("nothing to do", 3, "h1:1:-:2 h2:1:-:1", "h1=2 h2=1", ""),
                c("an unreachable host's share moves to the reachable ones", 6, "h1:1:-:2 h2:1:-:x h3:1:-:2",
                        "h1=3 h3=3", "h1 2->3, h3 2->3"),
                c("zero total empties every reachable host", 0, "h1:1:-:2 h2:1:-:1", "h1=0 h2=0", "h1 2->0, h2 1->0"),
                new Case("without moving, an unreachable host keeps its last count", 6, "h1:1:-:2 h2:1:-:x h3:1:-:2",
                        false, Map.of("h2", 2), "h1=2 h3=2", "", 0),
                new Case("without moving, the rest still grows", 8, "h1:1:-:2 h2:1:-:x h3:1:-:2",
                        false, Map.of("h2", 2), "h1=3 h3=3", "h1 2->3, h3 2->3", 0),
                new Case("caps full: short, never more than the caps", 10, "h1:1:3:0 h2:1:4:0", true, Map.of(),
                        "h1=3 h2=4", "h1 0->3, h2 0->4", 3),
                new Case("every host unreachable: nothing placed", 3, "h1:1:-:x h2:1:-:x", true, Map.of(),
                        "", "", 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void splits(Case c) {
        FleetPlan plan = FleetSplit.split(c.total, hosts(c.hosts), c.move, c.lastKnown);

        assertThat(render(plan.perHost())).isEqualTo(c.expected);
        assertThat(plan.changes().stream().map(ch -> ch.host() + " " + ch.from() + "->" + ch.to()).toList())
                .isEqualTo(c.changes.isEmpty() ? List.of() : List.of(c.changes.split(", ")));
        assertThat(plan.shortfall()).isEqualTo(c.shortfall);
        if (c.shortfall > 0) {
            assertThat(plan.reason()).contains("short by " + c.shortfall);
        }
    }

    @Test
    void theReasonSaysWhatHappenedToAHostAndWhyTheFleetIsShort() {
        FleetHost h1 = new FleetHost("h1", 1, 2);
        FleetHost h2 = new FleetHost("h2", 1, null);
        HostCount changedKey = HostCount.unreachable(h2, "unreachable (host key changed)", "Host key verification failed.");

        FleetPlan moved = FleetSplit.split(4, List.of(HostCount.reachable(h1, 1), changedKey), true, Map.of());
        assertThat(moved.reason()).contains("h2 unreachable (host key changed), its share moved")
                .contains("short by 2: the reachable hosts' caps are full");

        FleetPlan kept = FleetSplit.split(4, List.of(HostCount.reachable(h1, 1), changedKey), false, Map.of("h2", 2));
        assertThat(kept.reason()).contains("h2 unreachable (host key changed), its 2 counted where they were")
                .doesNotContain("short");

        FleetPlan none = FleetSplit.split(3, List.of(changedKey), true, Map.of());
        assertThat(none.reason()).contains("short by 3: no host is reachable").doesNotContain("caps");
    }

    @Test
    void theSameInputsAlwaysGiveTheSamePlan() {
        List<HostCount> hosts = hosts("c:1:-:0 a:1:-:0 b:1:-:0");
        FleetPlan first = FleetSplit.split(5, hosts, true, Map.of());
        List<HostCount> reversed = new ArrayList<>(hosts);
        java.util.Collections.reverse(reversed);
        FleetPlan second = FleetSplit.split(5, reversed, true, Map.of());

        assertThat(first.perHost()).isEqualTo(second.perHost()).isEqualTo(Map.of("a", 2, "b", 2, "c", 1));
    }

    @Test
    void stepByStepScaleUpThenDownTouchesOneHostPerStep() {
        List<HostCount> hosts = hosts("h1:2:-:0 h2:1:-:0 h3:1:-:0");
        Map<String, Integer> running = new LinkedHashMap<>(Map.of("h1", 0, "h2", 0, "h3", 0));
        for (int total = 1; total <= 12; total++) {
            FleetPlan plan = FleetSplit.split(total, withCounts(hosts, running), true, Map.of());
            assertThat(plan.changes()).hasSize(1);
            running.putAll(plan.perHost());
        }
        assertThat(running).isEqualTo(Map.of("h1", 6, "h2", 3, "h3", 3));
        for (int total = 11; total >= 0; total--) {
            FleetPlan plan = FleetSplit.split(total, withCounts(hosts, running), true, Map.of());
            assertThat(plan.changes()).hasSize(1);
            running.putAll(plan.perHost());
        }
        assertThat(running).isEqualTo(Map.of("h1", 0, "h2", 0, "h3", 0));
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> FleetSplit.split(-1, List.of(), true, Map.of())).hasMessage("total must be >= 0, got -1");
        assertThatThrownBy(() -> new FleetHost("h1", 0, null))
                .hasMessage("host h1: scaler_weight must be a positive number, got 0.0");
        assertThatThrownBy(() -> new FleetHost("h1", 1, -2))
                .hasMessage("host h1: scaler_max_replicas must be >= 0, got -2");
    }

    static List<HostCount> withCounts(List<HostCount> hosts, Map<String, Integer> running) {
        return hosts.stream().map(h -> HostCount.reachable(h.host(), running.get(h.host().name()))).toList();
    }

    static List<HostCount> hosts(String spec) {
        List<HostCount> hosts = new ArrayList<>();
        for (String h : spec.split(" ")) {
            String[] f = h.split(":");
            FleetHost host = new FleetHost(f[0], Double.parseDouble(f[1]), f[2].equals("-") ? null : Integer.valueOf(f[2]));
            hosts.add(f[3].equals("x") ? HostCount.unreachable(host, "unreachable", "down") : HostCount.reachable(host, Integer.parseInt(f[3])));
        }
        return hosts;
    }

    static String render(Map<String, Integer> perHost) {
        return String.join(" ", perHost.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
