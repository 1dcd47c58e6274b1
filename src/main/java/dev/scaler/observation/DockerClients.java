package dev.scaler.observation;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

import java.time.Duration;

/** Builds docker-java clients the way Scaler's observers need them: bounded connections and timeouts. */
public final class DockerClients {

    private DockerClients() {
    }

    /**
     * @param dockerHost e.g. unix:///var/run/docker.sock or tcp://host:2375; null or empty means
     *                   DOCKER_HOST or the default socket
     */
    public static DockerClient create(String dockerHost, Duration connectTimeout, Duration responseTimeout) {
        DockerClientConfig config = config(dockerHost);
        // Timeouts so that a hung engine makes one observation fail instead of stalling the control loop.
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(4)
                .connectionTimeout(connectTimeout)
                .responseTimeout(responseTimeout)
                .build();
        return DockerClientImpl.getInstance(config, http);
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
