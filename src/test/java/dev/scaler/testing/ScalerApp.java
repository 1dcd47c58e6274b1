package dev.scaler.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The real Scaler application, started in the test's JVM with its HTTP server on a free port, its
 * history in an H2 file under {@code dataDir} (so a second instance on the same dir is a restart),
 * and the repository's own playbook, inventory and Ansible config.
 */
public final class ScalerApp implements AutoCloseable {

    private final EmbeddedServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ScalerApp(EmbeddedServer server) {
        this.server = server;
    }

    public static ScalerApp start(Path dataDir, Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(defaults(dataDir));
        all.putAll(properties);
        ApplicationContext context = ApplicationContext.builder().properties(all).start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
        return new ScalerApp(server);
    }

    public static Map<String, Object> defaults(Path dataDir) {
        return Map.of(
                "micronaut.server.port", -1,
                "scaler.poll-interval", "1s",
                "scaler.initial-delay", "0s",
                "datasources.default.url", "jdbc:h2:file:" + dataDir.resolve("history").toAbsolutePath()
                        + ";AUTO_SERVER=FALSE",
                "scaler.execution.playbook", repoPath("ansible/scale.yml"),
                "scaler.execution.inventory", repoPath("inventories/local/hosts.yml"),
                "scaler.execution.ansible-config", repoPath("ansible/ansible.cfg"),
                "scaler.execution.timeout", "90s");
    }

    /** A path in this repository, absolute (tests run with the project directory as working directory). */
    public static String repoPath(String relative) {
        return Path.of(relative).toAbsolutePath().toString();
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(10)).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        ApplicationContext context = server.getApplicationContext();
        server.stop();
        if (context.isRunning()) {
            context.stop();
        }
    }
}
