package dev.scaler.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TestExporter} and a real {@link PrometheusProcess} scraping it, shared by the tests of one class ({@link
 * #perClass}: started before the first test, stopped after the last) or by every class of the test run that asks
 * for the same ({@link #perRun}: started by the first such class, stopped when the run ends), so a class of
 * end-to-end tests pays for one Prometheus at most, not one per test. Registered as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ScrapedExporter metrics = ScrapedExporter.perRun().gauge("webapp_load", 0);
 * ...
 * metrics.exporter().set("webapp_load", 35);
 * URI url = metrics.prometheus().url();
 * }</pre>
 *
 * Every test starts from the same state, as with a fresh pair: before each test the exporter is {@linkplain
 * TestExporter#reset() reset} (only the request counter keeps its count) and given the starting gauges, and the test
 * starts once Prometheus has scraped that state, so a gauge the previous test (of this class or another) set or made
 * is gone. A class whose tests send requests names a "quiet" query too ({@link #quietWhen}), e.g. a zero request
 * rate: the previous test's load must have left the rate window first. A Prometheus that a test killed is started
 * anew. Classes whose Prometheus differs (rules, Alertmanager, backfilled history, scraping Scaler) start their own.
 */
public final class ScrapedExporter implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    /** A gauge set at each reset and counted up, so a test can wait until Prometheus scraped the reset state. */
    static final String ROUND = "scaler_test_round";
    private static final Duration SCRAPED_WITHIN = Duration.ofSeconds(30);
    private static final ExtensionContext.Namespace RUN = ExtensionContext.Namespace.create(ScrapedExporter.class);

    private final boolean perRun;
    private final Map<String, Double> startGauges = new LinkedHashMap<>();
    private String quiet;
    private Pair pair;

    private ScrapedExporter(boolean perRun) {
        this.perRun = perRun;
    }

    /** One exporter and one Prometheus for the tests of the class this is registered in. */
    public static ScrapedExporter perClass() {
        return new ScrapedExporter(false);
    }

    /**
     * One exporter and one Prometheus for every class of this test run (JVM) registering {@code perRun()}, started
     * lazily and stopped at the end of the run (JUnit's root store); surefire runs the classes one after another.
     */
    public static ScrapedExporter perRun() {
        return new ScrapedExporter(true);
    }

    /** A gauge every test starts with. */
    public ScrapedExporter gauge(String name, double value) {
        startGauges.put(name, value);
        return this;
    }

    /** PromQL that has a result once the previous test's traffic is over, awaited before each test. */
    public ScrapedExporter quietWhen(String promql) {
        this.quiet = promql;
        return this;
    }

    public TestExporter exporter() {
        return pair.exporter;
    }

    public PrometheusProcess prometheus() {
        return pair.prometheus;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        RealParts.requireCommand("prometheus");
        pair = perRun
                ? context.getRoot().getStore(RUN).getOrComputeIfAbsent(Pair.class, k -> Pair.start(), Pair.class)
                : Pair.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        pair.reset(startGauges, quiet);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!perRun && pair != null) {
            pair.close();
        }
    }

    /** The exporter and the Prometheus scraping it, with the count of resets they have been through. */
    private static final class Pair implements ExtensionContext.Store.CloseableResource {
        private final TestExporter exporter;
        private PrometheusProcess prometheus;
        private int round;

        private Pair(TestExporter exporter, PrometheusProcess prometheus) {
            this.exporter = exporter;
            this.prometheus = prometheus;
        }

        static Pair start() {
            TestExporter exporter = TestExporter.start();
            try {
                return new Pair(exporter, PrometheusProcess.start(List.of(exporter.address())));
            } catch (RuntimeException e) {
                exporter.stop();
                throw e;
            }
        }

        synchronized void reset(Map<String, Double> startGauges, String quiet) {
            if (!prometheus.isAlive()) {
                prometheus.stop();
                prometheus = PrometheusProcess.start(List.of(exporter.address()));
            }
            exporter.reset();
            startGauges.forEach(exporter::set);
            round++;
            exporter.set(ROUND, round);
            prometheus.awaitData(ROUND + " == " + round, SCRAPED_WITHIN);
            if (quiet != null) {
                prometheus.awaitData(quiet, SCRAPED_WITHIN);
            }
        }

        @Override
        public synchronized void close() {
            prometheus.stop();
            exporter.stop();
        }
    }
}
