package dev.scaler.observation;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The TLS set-up DockerClients gives docker-java's transport, for each kind of engine address. */
class DockerClientsTest {

    private static final Duration CONNECT = Duration.ofSeconds(1);

    @Test
    void anEngineOnASocketGetsTheDefaultContextOnlyWhenUsed() throws Exception {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix:///var/run/docker.sock").withDockerTlsVerify(false).build();

        SSLContext given = DockerClients.sslConfig(config, CONNECT).getSSLContext();

        assertThat(given).isInstanceOf(DockerTlsContext.class);
        // once asked, it answers as the JVM's default context
        assertThat(given.getDefaultSSLParameters().getProtocols())
                .containsExactly(SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
        assertThat(given.getSocketFactory().getDefaultCipherSuites())
                .containsExactly(SSLContext.getDefault().getSocketFactory().getDefaultCipherSuites());
        assertThat(given.createSSLEngine("engine.example", 2376).getPeerHost()).isEqualTo("engine.example");
    }

    /** A context would make the transport speak https to a TCP engine: a plain one gets none, and plain HTTP. */
    @Test
    void anEngineOnPlainTcpIsSpokenToInPlainHttp() throws Exception {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("tcp://127.0.0.1:2375").withDockerTlsVerify(false).build();
        assertThat(DockerClients.sslConfig(config, CONNECT)).isNull();

        HttpServer engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> asked = answerPings(engine);
        try (DockerClient client = DockerClients.create("tcp://127.0.0.1:" + engine.getAddress().getPort(),
                CONNECT, Duration.ofSeconds(5))) {
            client.pingCmd().exec();
        } finally {
            engine.stop(0);
        }
        assertThat(asked).singleElement().asString().startsWith("GET ").endsWith("/_ping");
    }

    /**
     * An engine address with TLS settings that accepts the connection and never answers the handshake (a plain
     * port, a stuck proxy) fails the request after the connect timeout; docker-java's transport alone waited for
     * ever, far past its response timeout.
     */
    @Test
    void aTlsHandshakeThatIsNeverAnsweredFailsAfterTheConnectTimeout(@TempDir Path certs) throws Exception {
        RealParts.requireCommand("openssl");
        selfSignedCertificate(certs);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost("tcp://127.0.0.1:" + silent.getLocalPort()).withDockerTlsVerify(true)
                    .withDockerCertPath(certs.toString()).build();

            long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try (DockerClient client = DockerClients.create(config, CONNECT, Duration.ofSeconds(60), 1)) {
                    assertThatThrownBy(() -> client.pingCmd().exec())
                            .hasRootCauseInstanceOf(SocketTimeoutException.class);
                }
            });
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).as("the handshake waited its bound").isGreaterThanOrEqualTo(CONNECT.toMillis());
            assertThat(accepted).as("the connection was made; the handshake is what went unanswered").isNotEmpty();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /** The configured set-up still makes the handshake: an https engine with the certificates' key answers. */
    @Test
    void anEngineWithTlsSettingsIsReachedWithThem(@TempDir Path certs) throws Exception {
        RealParts.requireCommand("openssl");
        selfSignedCertificate(certs);
        HttpsServer engine = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        engine.setHttpsConfigurator(new HttpsConfigurator(serverContext(certs)));
        List<String> asked = answerPings(engine);
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("tcp://127.0.0.1:" + engine.getAddress().getPort()).withDockerTlsVerify(true)
                .withDockerCertPath(certs.toString()).build();
        try (DockerClient client = DockerClients.create(config, CONNECT, Duration.ofSeconds(5), 1)) {
            client.pingCmd().exec();
        } finally {
            engine.stop(0);
        }
        assertThat(asked).singleElement().asString().endsWith("/_ping");
    }

    @Test
    void theContextIsNotInitializedAgain() {
        assertThatThrownBy(() -> DockerTlsContext.deferredDefault(CONNECT).init(null, null, null))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("not initialized again");
    }

    /** Starts {@code engine} answering every request as dockerd answers a ping; returns what it was asked. */
    private static List<String> answerPings(HttpServer engine) {
        List<String> asked = new CopyOnWriteArrayList<>();
        engine.createContext("/", exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] body = "OK".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        engine.start();
        return asked;
    }

    /** A server context with the certificate and key in {@code dir}. */
    private static SSLContext serverContext(Path dir) throws Exception {
        String pem = Files.readString(dir.resolve("key.pem"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        Certificate cert;
        try (var in = Files.newInputStream(dir.resolve("cert.pem"))) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("engine", key, new char[0], new Certificate[] {cert});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** ca.pem, cert.pem and key.pem as DOCKER_CERT_PATH holds them: one self-signed certificate as all three. */
    private static void selfSignedCertificate(Path dir) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor()).as(output).isZero();
        Files.copy(dir.resolve("cert.pem"), dir.resolve("ca.pem"));
    }
}
