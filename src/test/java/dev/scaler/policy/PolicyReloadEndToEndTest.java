package dev.scaler.policy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.scaler.testing.Await;
import dev.scaler.testing.ComposeProject;
import dev.scaler.testing.PrometheusProcess;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.Resources;
import dev.scaler.testing.ScalerApp;
import dev.scaler.testing.ScalerProps;
import dev.scaler.testing.ScrapedExporter;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The policy file against the real application, Prometheus, exporter and Docker engine: targets added and
 * changed by rewriting the file, a broken version rejected while the old targets keep running, then fixed.
 */
class PolicyReloadEndToEndTest {

    static final String QUERY = "sum(rate(webapp_requests_total[5s]))";

    @RegisterExtension
    static final ScrapedExporter metrics = ScrapedExporter.perRun().quietWhen(QUERY + " == 0");

    @TempDir
    Path data;

    final Resources resources = new Resources();
    ComposeProject shop;
    ComposeProject blog;
    ComposeProject news;
    PrometheusProcess prometheus;
    Path policy;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void realParts() throws Exception {
        RealParts.requireDocker();
        RealParts.requireCommand("prometheus");
        RealParts.requireCommand("docker-compose");
        shop = resources.track(new ComposeProject("scalerpolshop"));
        blog = resources.track(new ComposeProject("scalerpolblog"));
        news = resources.track(new ComposeProject("scalerpolnews"));
        prometheus = metrics.prometheus();
        policy = data.resolve("policy.yml");
        log.start();
        ((Logger) LoggerFactory.getLogger(PolicyFileWatcher.class)).addAppender(log);
    }

    @AfterEach
    void cleanUp() {
        ((Logger) LoggerFactory.getLogger(PolicyFileWatcher.class)).detachAppender(log);
        resources.close();
    }

    String target(String name, ComposeProject project, int max) {
        return """
                  %s:
                    query: %s
                    compose-project: %s
                    compose-project-dir: %s
                    service: webapp
                    max-replicas: %d
                """.formatted(name, QUERY, project.name(), project.dir(), max);
    }

    /** Replaces the file as an editor or a config-map update does: a new file moved over the old one. */
    void write(String yaml) throws IOException {
        Path next = Files.writeString(data.resolve("policy.yml.new"), yaml);
        Files.move(next, policy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    ScalerApp start() {
        return resources.track(ScalerApp.start(data, ScalerProps.on(prometheus)
                .set("scaler.policy-file", policy.toString()).set("scaler.policy-reload-interval", "1s").build()));
    }

    @SuppressWarnings("rawtypes")
    static List<Map> targets(ScalerApp app) {
        try {
            return app.bean(JsonMapper.class).readValue(app.get("/api/targets").body(), Argument.listOf(Map.class));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("rawtypes")
    static Optional<Map> target(ScalerApp app, String name) {
        return targets(app).stream().filter(t -> name.equals(t.get("name"))).findFirst();
    }

    static String metrics(ScalerApp app) {
        return app.get("/prometheus").body();
    }

    List<String> logged() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void rewritingTheFileAddsAndChangesTargetsAndABrokenVersionIsRejectedWhileTheOldOneRuns() throws Exception {
        shop.up(1);
        blog.up(1);
        write("targets:\n" + target("shop", shop, 3) + target("blog", blog, 3));
        ScalerApp app = start();

        Await.until("both targets evaluated", Duration.ofSeconds(30), () -> targets(app).size() == 2
                && targets(app).stream().allMatch(t -> t.get("lastOutcome") != null));
        assertThat(target(app, "shop").orElseThrow().get("policySource")).isEqualTo(policy.toString());
        assertThat(target(app, "shop").orElseThrow().get("policyError")).isNull();

        // A third target and a new max for an existing one.
        write("targets:\n" + target("shop", shop, 3) + target("blog", blog, 5) + target("news", news, 2));
        Await.until("the added target and the changed max in /api/targets", Duration.ofSeconds(30),
                () -> target(app, "news").isPresent()
                        && Integer.valueOf(5).equals(target(app, "blog").orElseThrow().get("maxReplicas")));
        Await.until("the added target evaluated", Duration.ofSeconds(30),
                () -> target(app, "news").orElseThrow().get("lastOutcome") != null);
        assertThat(logged()).anyMatch(l -> l.contains("reload=applied added=[news] removed=[] changed=[blog]"))
                .anyMatch(l -> l.contains("target=news added") && l.contains("max=2"));

        // A broken version: two errors, the running targets stay.
        write("targets:\n" + target("shop", shop, 3).replace("max-replicas: 3", "max-replicas: lots")
                + target("blog", blog, 5) + "    scale-up-cooldwn: 1s\n");
        Await.until("the rejection in /api/targets", Duration.ofSeconds(30),
                () -> target(app, "shop").orElseThrow().get("policyError") != null);
        String error = (String) target(app, "shop").orElseThrow().get("policyError");
        assertThat(error).contains(policy + ":7: targets.shop.max-replicas: 'lots' is not a whole number")
                .contains(policy + ":14: targets.blog.scale-up-cooldwn: unknown field");
        assertThat(targets(app)).extracting(t -> t.get("name")).containsExactly("blog", "news", "shop");
        assertThat(target(app, "shop").orElseThrow().get("maxReplicas")).isEqualTo(3);
        String tickBefore = (String) target(app, "shop").orElseThrow().get("lastTickId");
        Await.until("the old targets still evaluated", Duration.ofSeconds(30),
                () -> !tickBefore.equals(target(app, "shop").orElseThrow().get("lastTickId")));
        assertThat(metrics(app)).contains("scaler_policy_reloads_total{result=\"rejected\"} 1.0")
                .contains("scaler_policy_valid 0.0");
        assertThat(logged()).anyMatch(l -> l.contains("reload=rejected errors=2"))
                .anyMatch(l -> l.contains("'lots' is not a whole number"))
                .anyMatch(l -> l.contains("scale-up-cooldwn: unknown field"));

        // Fixed: applied, the error is gone, news (no longer in the file) is removed.
        write("targets:\n" + target("shop", shop, 4) + target("blog", blog, 5));
        Await.until("the fixed version applied", Duration.ofSeconds(30),
                () -> target(app, "shop").orElseThrow().get("policyError") == null
                        && Integer.valueOf(4).equals(target(app, "shop").orElseThrow().get("maxReplicas")));
        assertThat(targets(app)).extracting(t -> t.get("name")).containsExactly("blog", "shop");
        assertThat(metrics(app)).contains("scaler_policy_reloads_total{result=\"applied\"} 2.0")
                .contains("scaler_policy_valid 1.0");
        assertThat(logged()).anyMatch(l -> l.contains("target=news removed"));

        // A second target on blog's service: rejected naming both, blog keeps running alone.
        write("targets:\n" + target("shop", shop, 4) + target("blog", blog, 5) + target("blog-copy", blog, 2));
        Await.until("the second owner refused", Duration.ofSeconds(30),
                () -> target(app, "blog").orElseThrow().get("policyError") != null);
        assertThat((String) target(app, "blog").orElseThrow().get("policyError"))
                .contains(policy + ": targets.blog-copy: scales compose " + blog.name() + "/webapp, which target"
                        + " 'blog' (" + policy + ": targets.blog) already scales");
        assertThat(targets(app)).extracting(t -> t.get("name")).containsExactly("blog", "shop");
        assertThat(metrics(app)).contains("scaler_policy_reloads_total{result=\"rejected\"} 2.0");
    }

    @Test
    void anInvalidFileAtStartupStopsStartupWithEveryError() throws Exception {
        write("targets:\n" + target("shop", shop, 3).replace("max-replicas: 3", "max-replicas: lots")
                + "  blog:\n    compose-project: x\n");
        assertThatThrownBy(this::start)
                .hasStackTraceContaining(policy + ":7: targets.shop.max-replicas: 'lots' is not a whole number")
                .hasStackTraceContaining(policy + ":8: targets.blog.query: is required");
    }

    @Test
    void aNameInBothTheFileAndScalerTargetsIsAnError() throws Exception {
        write("targets:\n" + target("shop", shop, 3));
        assertThatThrownBy(() -> resources.track(ScalerApp.start(data, ScalerProps.on(prometheus)
                .set("scaler.policy-file", policy.toString())
                .target("shop").query(QUERY).set("compose-project", shop.name()).build())))
                .hasStackTraceContaining(policy + ": targets.shop: is also defined in scaler.targets.shop");
    }
}
