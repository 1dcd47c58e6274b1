package dev.scaler.swarm;

import com.sun.net.httpserver.HttpServer;
import dev.scaler.observation.ObservationException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SwarmObserver's message when the engine is not a swarm manager. The shared test engine is a manager
 * (and must stay one for the other tests), so a stand-in answers as dockerd does on a plain engine:
 * HTTP 503 with Docker's own message.
 */
class SwarmObserverErrorsTest {

    @Test
    void anEngineThatIsNoSwarmManagerIsNamedWithTheService() throws Exception {
        HttpServer engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        engine.createContext("/", exchange -> {
            byte[] body = ("{\"message\":\"This node is not a swarm manager. Use \\\"docker swarm init\\\" or"
                    + " \\\"docker swarm join\\\" to connect this node to swarm and try again.\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        engine.start();
        String host = "tcp://127.0.0.1:" + engine.getAddress().getPort();
        try (SwarmObserver observer = new SwarmObserver(host, Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> observer.observe(new SwarmService("shop_web")))
                    .isInstanceOf(ObservationException.class)
                    .hasMessage("could not count running tasks of swarm service 'shop_web': the Docker engine at "
                            + host + " is not a swarm manager (run docker swarm init there, or set"
                            + " scaler.docker.host to a manager)");
        } finally {
            engine.stop(0);
        }
    }
}
