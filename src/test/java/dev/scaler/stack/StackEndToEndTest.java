package dev.scaler.stack;

import dev.scaler.testing.Await;
import dev.scaler.testing.Processes;
import dev.scaler.testing.Processes.Result;
import dev.scaler.testing.RealParts;
import dev.scaler.testing.ScalerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose stack of the repository, as a user runs it: every image built on the local engine from
 * the locally made debian:bookworm-slim, Prometheus, HAProxy, the demo webapp and Scaler in containers.
 * Load sent through the load balancer's published port makes Scaler, inside its container, run the
 * playbook against the host's engine through the socket and scale `webapp` up; HAProxy finds the new
 * replicas and spreads requests over them; idle, `webapp` returns to its minimum; the other services
 * are never recreated.
 *
 * <p>Scaler's image is the one named by {@code SCALER_TEST_STACK_IMAGE} when that is set: scripts/test.sh builds it
 * from source ({@code docker build .}, Maven inside Docker) just before, so the suite builds Scaler's image once and
 * this test runs the from-source image. Otherwise the image takes the jar from target/ when it is newer than every
 * source file, so the test does not spend minutes on a Maven build inside Docker; or else it builds from source.
 */
class StackEndToEndTest {

    static final Path REPO = Path.of("").toAbsolutePath();
    static final List<String> FIXED_SERVICES = List.of("prometheus", "lb", "scaler");
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);
    /** An image of Scaler already built from this checkout, to run instead of building one. */
    static final String PREBUILT = System.getenv("SCALER_TEST_STACK_IMAGE");

    final String project = "scalerstack" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    final Map<String, String> env = new HashMap<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    int lbPort;
    int statsPort;
    int prometheusPort;
    int scalerPort;
    boolean started;

    @BeforeEach
    void realParts() throws IOException {
        RealParts.requireDocker();
        RealParts.requireCommand("docker-compose");
        RealParts.require(RealParts.runsOk("docker", "image", "inspect", "debian:bookworm-slim"),
                "the base image debian:bookworm-slim (scripts/base-image.sh)");
        lbPort = ScalerProcess.freePort();
        statsPort = ScalerProcess.freePort();
        prometheusPort = ScalerProcess.freePort();
        scalerPort = ScalerProcess.freePort();
        env.put("COMPOSE_PROJECT_NAME", project);
        env.put("STACK_LB_PORT", String.valueOf(lbPort));
        env.put("STACK_LB_STATS_PORT", String.valueOf(statsPort));
        env.put("STACK_PROMETHEUS_PORT", String.valueOf(prometheusPort));
        env.put("STACK_SCALER_PORT", String.valueOf(scalerPort));
        env.put("DOCKER_GID", String.valueOf(Files.getAttribute(Path.of("/var/run/docker.sock"), "unix:gid")));
        // Fast enough for a test: 2 s polls, a short rate window, short cooldowns.
        env.put("CHECK_INTERVAL", "2");
        env.put("CAPACITY_PER_REPLICA", "10");
        env.put("MIN_REPLICAS", "1");
        env.put("MAX_REPLICAS", "3");
        env.put("SCALE_UP_COOLDOWN", "2");
        env.put("SCALE_DOWN_COOLDOWN", "10");
        env.put("SCALE_DOWN_STABILIZATION", "4s");
        env.put("METRIC_QUERY", "sum(rate(haproxy_backend_http_requests_total{proxy=\"webapp\"}[15s]))");
        if (PREBUILT != null && !PREBUILT.isBlank()) {
            RealParts.require(RealParts.runsOk("docker", "image", "inspect", PREBUILT),
                    "the image " + PREBUILT + " (SCALER_TEST_STACK_IMAGE)");
        } else {
            freshJar().ifPresentOrElse(jar -> env.put("SCALER_JAR", REPO.relativize(jar).toString()),
                    () -> System.out.println("stack-test: no fresh jar in target/, building Scaler's image from source"));
        }
    }

    @AfterEach
    void tearDown() {
        if (started) {
            System.out.println(compose(Duration.ofSeconds(60), "logs", "--no-color", "--tail", "60", "scaler").output());
        }
        compose(Duration.ofMinutes(2), "--profile", "load", "down", "-v", "-t", "2", "--remove-orphans");
    }

    @Test
    void loadScalesWebappUpAndIdleScalesItDownWithoutTouchingTheRest() {
        long buildStart = System.nanoTime();
        Result build;
        if (PREBUILT != null && !PREBUILT.isBlank()) {
            System.out.println("stack-test: Scaler's image is " + PREBUILT);
            docker("tag", PREBUILT, "scaler-stack/scaler:latest");
            build = compose(BUILD_TIMEOUT, "build", "prometheus", "lb", "webapp");
        } else {
            build = compose(BUILD_TIMEOUT, "build");
        }
        assertThat(build.exitCode()).as("docker-compose build: %s", tail(build.output())).isZero();
        System.out.printf("stack-test: images built in %d s%n", Duration.ofNanos(System.nanoTime() - buildStart).toSeconds());

        started = true;
        Result up = compose(Duration.ofMinutes(3), "up", "-d", "--no-build");
        assertThat(up.exitCode()).as("docker-compose up: %s", tail(up.output())).isZero();
        Await.until("prometheus, lb and scaler healthy", Duration.ofSeconds(150),
                () -> FIXED_SERVICES.stream().allMatch(s -> "healthy".equals(container(s).health())));
        Await.until("one webapp replica running", Duration.ofSeconds(30), () -> running("webapp") == 1);
        assertThat(running("loadgen")).as("the load generator waits for --profile load").isZero();
        Map<String, Container> before = new HashMap<>();
        FIXED_SERVICES.forEach(s -> before.put(s, container(s)));
        assertThat(exec("scaler", "id", "-u").trim()).as("Scaler runs as a non-root user").isNotEqualTo("0");

        try (Load load = new Load(URI.create("http://127.0.0.1:" + lbPort + "/"), 40)) {
            Await.until("3 webapp replicas under 40 req/s at 10 per replica (max 3)", Duration.ofSeconds(180),
                    () -> running("webapp") == 3);
            Await.until("the load balancer to see 3 webapp servers up", Duration.ofSeconds(30),
                    () -> lbMetric("haproxy_backend_active_servers\\{proxy=\"webapp\"\\}") == 3);
            // Polled rather than slept for: done as soon as 3 servers have new 2xx responses and 3 replicas answered.
            Map<String, Double> servedBefore = servedPerServer();
            Await.until("3 servers with new 2xx responses in HAProxy's metrics since " + servedBefore,
                    Duration.ofSeconds(30), () -> servedPerServer().entrySet().stream()
                            .filter(e -> e.getValue() > servedBefore.getOrDefault(e.getKey(), 0.0)).count() >= 3);
            Await.until("3 replicas answering through the load balancer", Duration.ofSeconds(30),
                    () -> load.hosts().size() >= 3);
        }
        Await.until("Prometheus to show responses from 3 webapp servers", Duration.ofSeconds(30),
                () -> prometheusValue("count(increase(haproxy_server_http_responses_total{proxy=\"webapp\",code=\"2xx\"}[30s]) > 0)") >= 3);

        Await.until("webapp back to its minimum of 1 after the cooldown", Duration.ofSeconds(180),
                () -> running("webapp") == 1);

        // The replicas are gone before the playbook has finished and Scaler has recorded the action.
        Await.until("Scaler to record its scale-down to 1", Duration.ofSeconds(90),
                () -> succeededActions().stream().anyMatch(a -> a[1] < a[0] && a[1] == 1));
        assertThat(succeededActions()).as("scale-ups done by Scaler").anyMatch(a -> a[1] > a[0]);
        Await.until("Scaler to observe 1 replica", Duration.ofSeconds(20),
                () -> get(scalerPort, "/api/targets").contains("\"observed\":1"));
        // the status page of the stack's Scaler, as README's stack table gives it: the target and its actions
        assertThat(get(scalerPort, "/")).contains("data-target=\"webapp\"");
        assertThat(get(scalerPort, "/targets/webapp")).contains("<svg").contains("scale up").contains("SUCCEEDED");
        for (String service : FIXED_SERVICES) {
            Container now = container(service);
            assertThat(now.id()).as("%s was not recreated", service).isEqualTo(before.get(service).id());
            assertThat(now.startedAt()).as("%s was not restarted", service).isEqualTo(before.get(service).startedAt());
            assertThat(now.restarts()).as("%s restarts", service).isZero();
        }
    }

    /** The jar in target/, if it is newer than every file it is built from. */
    static Optional<Path> freshJar() throws IOException {
        Path jar = REPO.resolve("target/scaler-0.1.0-SNAPSHOT.jar");
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        FileTime built = Files.getLastModifiedTime(jar);
        try (Stream<Path> sources = Stream.concat(Files.walk(REPO.resolve("src/main")), Stream.of(REPO.resolve("pom.xml")))) {
            boolean stale = sources.filter(Files::isRegularFile).anyMatch(p -> {
                try {
                    return Files.getLastModifiedTime(p).compareTo(built) > 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return stale ? Optional.empty() : Optional.of(jar);
        }
    }

    record Container(String id, String startedAt, int restarts, String health) {
    }

    /** The one container of a fixed service, from docker inspect. */
    Container container(String service) {
        List<String> ids = ids(service, false);
        assertThat(ids).as("containers of %s", service).hasSize(1);
        String[] f = docker("inspect", "-f",
                "{{.Id}} {{.State.StartedAt}} {{.RestartCount}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}",
                ids.get(0)).trim().split(" ");
        return new Container(f[0], f[1], Integer.parseInt(f[2]), f[3]);
    }

    int running(String service) {
        return ids(service, true).size();
    }

    List<String> ids(String service, boolean runningOnly) {
        List<String> argv = new ArrayList<>(List.of("ps", "-q", "--no-trunc",
                "--filter", "label=com.docker.compose.project=" + project,
                "--filter", "label=com.docker.compose.service=" + service,
                "--filter", "label=com.docker.compose.oneoff=False"));
        if (runningOnly) {
            argv.addAll(List.of("--filter", "status=running"));
        } else {
            argv.add("-a");
        }
        return docker(argv.toArray(String[]::new)).lines().filter(l -> !l.isBlank()).toList();
    }

    String exec(String service, String... command) {
        List<String> argv = new ArrayList<>(List.of("exec", ids(service, true).get(0)));
        argv.addAll(List.of(command));
        return docker(argv.toArray(String[]::new));
    }

    /** 2xx responses per HAProxy server slot of the webapp backend, from the exporter. */
    Map<String, Double> servedPerServer() {
        Map<String, Double> served = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^haproxy_server_http_responses_total\\{proxy=\"webapp\",server=\"([^\"]+)\",code=\"2xx\"\\} (\\S+)$")
                .matcher(get(statsPort, "/metrics"));
        while (m.find()) {
            served.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return served;
    }

    double lbMetric(String seriesRegex) {
        Matcher m = Pattern.compile("(?m)^" + seriesRegex + " (\\S+)$").matcher(get(statsPort, "/metrics"));
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    double prometheusValue(String query) {
        String body = get(prometheusPort, "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        Matcher m = Pattern.compile("\"value\":\\[[^,]+,\"([^\"]+)\"\\]").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** (from, to) of every action Scaler recorded as SUCCEEDED, from its own API. */
    List<int[]> succeededActions() {
        Matcher m = Pattern.compile("\"fromReplicas\":(\\d+),\"toReplicas\":(\\d+),\"exitCode\":[^,]*,\"result\":\"SUCCEEDED\"")
                .matcher(get(scalerPort, "/api/history?target=webapp&limit=1000"));
        List<int[]> actions = new ArrayList<>();
        while (m.find()) {
            actions.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
        }
        return actions;
    }

    String get(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Result compose(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>(List.of("docker-compose"));
        argv.addAll(List.of(args));
        return run(timeout, argv);
    }

    String docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        Result result = run(Duration.ofSeconds(60), argv);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + result.output());
        }
        return result.output();
    }

    Result run(Duration timeout, List<String> argv) {
        try {
            return Processes.run(REPO, env, timeout, null, argv);
        } catch (UncheckedIOException e) {
            return new Result(-1, e.getMessage());
        }
    }

    static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Requests at a steady rate, ten bursts a second, remembering which replica answered each one. */
    static final class Load implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final Set<String> hosts = ConcurrentHashMap.newKeySet();

        Load(URI target, int requestsPerSecond) {
            HttpRequest request = HttpRequest.newBuilder(target).GET().timeout(Duration.ofSeconds(2)).build();
            int perBurst = Math.max(1, requestsPerSecond / 10);
            timer.scheduleAtFixedRate(() -> {
                for (int i = 0; i < perBurst; i++) {
                    client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
                        if (r.statusCode() == 200) {
                            hosts.add(r.body().trim());
                        }
                    });
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
        }

        Set<String> hosts() {
            return hosts;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
