package dev.scaler.policy;

import dev.scaler.decision.Policy;
import dev.scaler.forecast.ForecastSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Precedence of labels over the policy (file or scaler.targets) over the defaults, as one table. */
class LabelOverridesTest {

    /** The policy as the file gives it: min 1 (default), max 6, capacity 50, tolerance 0.1 (default). */
    static final Policy FILE = Policy.defaults(1, 6, 50);

    /**
     * @param labels     the service's scaler.* labels
     * @param min        effective min-replicas
     * @param max        effective max-replicas
     * @param capacity   effective capacity-per-replica
     * @param tolerance  effective tolerance
     * @param enabled    effective scaler.enable
     * @param fromLabels what is reported as coming from labels
     * @param problem    a fragment every problem list must contain, or null for no problem
     */
    record Case(String name, Map<String, String> labels, int min, int max, double capacity, double tolerance,
                boolean enabled, List<String> fromLabels, String problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> table() {
        return Stream.of(
                new Case("no label: the file's values, defaults where the file says nothing", Map.of(),
                        1, 6, 50, 0.1, true, List.of(), null),
                new Case("other labels are ignored", Map.of("com.docker.compose.service", "web", "team", "shop"),
                        1, 6, 50, 0.1, true, List.of(), null),
                new Case("label max wins over the file's max", Map.of("scaler.max", "2"),
                        1, 2, 50, 0.1, true, List.of("max-replicas=2 (scaler.max)"), null),
                new Case("label min wins over the default min", Map.of("scaler.min", "3"),
                        3, 6, 50, 0.1, true, List.of("min-replicas=3 (scaler.min)"), null),
                new Case("label capacity and tolerance win", Map.of("scaler.capacity", "20", "scaler.tolerance", "0.25"),
                        1, 6, 20, 0.25, true,
                        List.of("capacity-per-replica=20.0 (scaler.capacity)", "tolerance=0.25 (scaler.tolerance)"), null),
                new Case("all range labels at once", Map.of("scaler.min", "2", "scaler.max", "9"),
                        2, 9, 50, 0.1, true, List.of("min-replicas=2 (scaler.min)", "max-replicas=9 (scaler.max)"), null),
                new Case("a max that is not a number keeps the file's max, naming label and value",
                        Map.of("scaler.max", "lots"), 1, 6, 50, 0.1, true, List.of(),
                        "scaler.max='lots' is not a whole number; keeping max-replicas=6"),
                new Case("a max of 0 is refused", Map.of("scaler.max", "0"), 1, 6, 50, 0.1, true, List.of(),
                        "scaler.max='0' must be >= 1; keeping max-replicas=6"),
                new Case("a bad label does not stop a good one", Map.of("scaler.max", "x", "scaler.min", "2"),
                        2, 6, 50, 0.1, true, List.of("min-replicas=2 (scaler.min)"), "scaler.max='x'"),
                new Case("min above the file's max after the override: both kept from the file",
                        Map.of("scaler.min", "8"), 1, 6, 50, 0.1, true, List.of(),
                        "min-replicas 8 > max-replicas 6 with labels scaler.min='8'"),
                new Case("min above max, both labels: both kept from the file",
                        Map.of("scaler.min", "5", "scaler.max", "3"), 1, 6, 50, 0.1, true, List.of(),
                        "keeping min-replicas=1 and max-replicas=6"),
                new Case("negative capacity is refused", Map.of("scaler.capacity", "-5"), 1, 6, 50, 0.1, true,
                        List.of(), "scaler.capacity='-5' must be a positive number; keeping capacity-per-replica=50.0"),
                new Case("tolerance outside [0, 1) is refused", Map.of("scaler.tolerance", "1.5"), 1, 6, 50, 0.1, true,
                        List.of(), "scaler.tolerance='1.5' must be in [0, 1)"),
                new Case("enable=false disables, the policy stays", Map.of("scaler.enable", "false"),
                        1, 6, 50, 0.1, false, List.of("enabled=false (scaler.enable)"), null),
                new Case("enable=true is the default", Map.of("scaler.enable", "true"),
                        1, 6, 50, 0.1, true, List.of(), null),
                new Case("enable neither true nor false keeps the target enabled", Map.of("scaler.enable", "perhaps"),
                        1, 6, 50, 0.1, true, List.of(), "scaler.enable='perhaps' is not true or false"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void labelsOverTheFileOverTheDefaults(Case c) {
        LabelOverrides.Effective e = LabelOverrides.apply(FILE, c.labels());

        assertThat(e.policy().minReplicas()).as("min").isEqualTo(c.min());
        assertThat(e.policy().maxReplicas()).as("max").isEqualTo(c.max());
        assertThat(e.policy().capacityPerReplica()).as("capacity").isEqualTo(c.capacity());
        assertThat(e.policy().tolerance()).as("tolerance").isEqualTo(c.tolerance());
        assertThat(e.enabled()).as("enabled").isEqualTo(c.enabled());
        assertThat(e.fromLabels()).as("from labels").containsExactlyElementsOf(c.fromLabels());
        if (c.problem() == null) {
            assertThat(e.problems()).as("problems").isEmpty();
        } else {
            assertThat(e.problems()).as("problems").anyMatch(p -> p.contains(c.problem()));
        }
        assertThat(e.policy().scaleDownCooldown()).as("what labels do not set stays").isEqualTo(FILE.scaleDownCooldown());
    }

    record PredictiveCase(String name, String label, boolean forecastable, ForecastSettings.Mode mode,
                          List<String> fromLabels, String problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<PredictiveCase> predictive() {
        return Stream.of(
                new PredictiveCase("no label: the configured mode", null, true, ForecastSettings.Mode.FORECAST_ONLY,
                        List.of(), null),
                new PredictiveCase("scaler.predictive=on turns it on", "on", true, ForecastSettings.Mode.ON,
                        List.of("predictive=on (scaler.predictive)"), null),
                new PredictiveCase("scaler.predictive=off turns it off", "off", true, ForecastSettings.Mode.OFF,
                        List.of("predictive=off (scaler.predictive)"), null),
                new PredictiveCase("a bad value is ignored, named with its value", "sometimes", true,
                        ForecastSettings.Mode.FORECAST_ONLY, List.of(), "scaler.predictive='sometimes' must be one of"
                        + " off, forecast-only, on; keeping predictive=forecast-only"),
                new PredictiveCase("a target scaled on metrics: cannot forecast", "on", false,
                        ForecastSettings.Mode.FORECAST_ONLY, List.of(), "scaler.predictive='on' ignored: a target"
                        + " scaled on metrics: decides reactively"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("predictive")
    void scalerPredictiveOverridesTheMode(PredictiveCase c) {
        ForecastSettings configured = ForecastSettings.parse(Map.of("predictive", "forecast-only",
                "predictive-step", "1m"));
        Map<String, String> labels = c.label() == null ? Map.of() : Map.of(LabelOverrides.PREDICTIVE, c.label());
        LabelOverrides.Effective e = LabelOverrides.apply(FILE, configured, c.forecastable(), labels);
        assertThat(e.forecast().mode()).isEqualTo(c.mode());
        assertThat(e.forecast().step()).isEqualTo(configured.step());
        assertThat(e.fromLabels()).isEqualTo(c.fromLabels());
        if (c.problem() == null) {
            assertThat(e.problems()).isEmpty();
        } else {
            assertThat(e.problems()).singleElement().asString().startsWith(c.problem());
        }
        assertThat(e.policy()).isEqualTo(FILE);
    }
}
