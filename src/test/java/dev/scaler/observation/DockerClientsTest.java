package dev.scaler.observation;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.SSLConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TLS set-up DockerClients gives docker-java's transport. */
class DockerClientsTest {

    @Test
    void anEngineWithoutTlsSettingsGetsTheDefaultContextOnlyWhenUsed() throws Exception {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix:///var/run/docker.sock").withDockerTlsVerify(false).build();

        SSLContext given = DockerClients.sslConfig(config).getSSLContext();

        assertThat(given).isInstanceOf(DeferredDefaultSslContext.class);
        // once asked, it answers as the JVM's default context
        assertThat(given.getDefaultSSLParameters().getProtocols())
                .containsExactly(SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
        assertThat(given.getSupportedSSLParameters().getCipherSuites())
                .containsExactly(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        assertThat(given.getSocketFactory().getDefaultCipherSuites())
                .containsExactly(SSLContext.getDefault().getSocketFactory().getDefaultCipherSuites());
        assertThat(given.createSSLEngine("engine.example", 2376).getPeerHost()).isEqualTo("engine.example");
    }

    @Test
    void anEngineWithTlsSettingsGetsThemUnchanged(@TempDir Path certs) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("tcp://127.0.0.1:2376").withDockerTlsVerify(true)
                .withDockerCertPath(certs.toString()).build();

        SSLConfig given = DockerClients.sslConfig(config);

        assertThat(given).isNotNull().isSameAs(config.getSSLConfig());
    }

    @Test
    void theDeferredContextCannotBeReinitialized() {
        assertThatThrownBy(() -> new DeferredDefaultSslContext().init(null, null, null))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("initialized by the JVM");
    }
}
