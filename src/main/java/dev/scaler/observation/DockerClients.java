package dev.scaler.observation;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;

import java.io.IOException;
import java.time.Duration;

/** Builds docker-java clients the way Scaler's observers need them: bounded connections and timeouts. */
public final class DockerClients {

    static final int DEFAULT_MAX_CONNECTIONS = 4;

    private DockerClients() {
    }

    /**
     * A client made at its first use, not with the bean that holds it: docker-java, its HTTP client and Jackson
     * are over 1,000 classes, which then load on the first tick instead of before the HTTP server answers, and
     * not at all for an observer no target uses (issue 11).
     */
    public static final class Lazy implements AutoCloseable {
        private final String dockerHost;
        private final Duration connectTimeout;
        private final Duration responseTimeout;
        private final int maxConnections;
        private DockerClient client;
        private String host;

        public Lazy(String dockerHost, Duration connectTimeout, Duration responseTimeout) {
            this(dockerHost, connectTimeout, responseTimeout, DEFAULT_MAX_CONNECTIONS);
        }

        /** @param maxConnections requests to the engine at once; more wait for a connection */
        public Lazy(String dockerHost, Duration connectTimeout, Duration responseTimeout, int maxConnections) {
            this.maxConnections = maxConnections;
            this.dockerHost = dockerHost;
            this.connectTimeout = connectTimeout;
            this.responseTimeout = responseTimeout;
        }

        public synchronized DockerClient get() {
            if (client == null) {
                client = create(dockerHost, connectTimeout, responseTimeout, maxConnections);
            }
            return client;
        }

        /** The engine's address, for messages. */
        public synchronized String host() {
            if (host == null) {
                host = DockerClients.host(dockerHost);
            }
            return host;
        }

        /** Closes the client if it was made. */
        @Override
        public synchronized void close() throws IOException {
            if (client != null) {
                client.close();
            }
        }
    }

    /**
     * @param dockerHost e.g. unix:///var/run/docker.sock or tcp://host:2375; null or empty means
     *                   DOCKER_HOST or the default socket
     */
    public static DockerClient create(String dockerHost, Duration connectTimeout, Duration responseTimeout) {
        return create(dockerHost, connectTimeout, responseTimeout, DEFAULT_MAX_CONNECTIONS);
    }

    public static DockerClient create(String dockerHost, Duration connectTimeout, Duration responseTimeout,
                                      int maxConnections) {
        return create(config(dockerHost), connectTimeout, responseTimeout, maxConnections);
    }

    static DockerClient create(DockerClientConfig config, Duration connectTimeout, Duration responseTimeout,
                               int maxConnections) {
        // Timeouts so that a hung engine makes one observation fail instead of stalling the control loop.
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(sslConfig(config, connectTimeout))
                .maxConnections(maxConnections)
                .connectionTimeout(connectTimeout)
                .responseTimeout(responseTimeout)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /**
     * The TLS context for the transport. Given one, the transport speaks https to a TCP engine, so a plain TCP
     * engine gets none; a socket never speaks TLS, and gets the JVM's default only if something ever asks for it;
     * the configured set-up (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) has its handshakes bounded by the connect timeout.
     */
    static SSLConfig sslConfig(DockerClientConfig config, Duration handshakeTimeout) {
        SSLConfig configured = config.getSSLConfig();
        if (configured != null) {
            return () -> DockerTlsContext.bounded(configured.getSSLContext(), handshakeTimeout);
        }
        String scheme = config.getDockerHost().getScheme();
        if ("unix".equals(scheme) || "npipe".equals(scheme)) {
            return () -> DockerTlsContext.deferredDefault(handshakeTimeout);
        }
        return null;
    }

    /** The engine address a client for {@code dockerHost} talks to, for messages. */
    public static String host(String dockerHost) {
        return config(dockerHost).getDockerHost().toString();
    }

    private static DockerClientConfig config(String dockerHost) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (dockerHost != null && !dockerHost.isBlank()) {
            builder.withDockerHost(dockerHost);
        }
        return builder.build();
    }
}
