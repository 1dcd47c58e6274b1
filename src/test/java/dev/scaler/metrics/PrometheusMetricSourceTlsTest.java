package dev.scaler.metrics;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.scaler.decision.MetricReading;
import dev.scaler.decision.MetricState;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scaler.prometheus.ca-file}: an https Prometheus whose certificate only the given PEM CA vouches for. */
class PrometheusMetricSourceTlsTest {

    private static final String STORE_PASSWORD = "changeit";

    @TempDir
    Path dir;
    private HttpsServer server;
    private Path caPem;

    @BeforeEach
    void startHttpsServer() throws Exception {
        // A self-signed certificate for 127.0.0.1 is its own CA; keytool ships with every JDK.
        Path keyStore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        caPem = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(),
                "-storepass", STORE_PASSWORD, "-file", caPem.toString());

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, STORE_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            byte[] body = PrometheusMetricSourceTest.okBody(Instant.now()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopHttpsServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void trustsTheConfiguredCa() {
        PrometheusConfiguration config = new PrometheusConfiguration(url(), null, null, null, null, null, null, caPem);

        try (PrometheusMetricSource source = new PrometheusMetricSource(config, Clock.systemUTC(), JsonMapper.createDefault())) {
            MetricReading reading = source.read("webapp_load");

            assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.HEALTHY);
        }
    }

    @Test
    void withoutTheCaTheServerIsNotTrusted() {
        try (PrometheusMetricSource source = new PrometheusMetricSource(PrometheusConfiguration.forUrl(url()),
                Clock.systemUTC(), JsonMapper.createDefault())) {
            MetricReading reading = source.read("webapp_load");

            assertThat(reading.state()).as(reading.toString()).isEqualTo(MetricState.UNREACHABLE);
        }
    }

    private URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void keytool(String... args) throws Exception {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        String[] argv = new String[args.length + 1];
        argv[0] = java.resolveSibling("keytool").toString();
        System.arraycopy(args, 0, argv, 1, args.length);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", String.join(" ", args), output).isZero();
    }
}
