package dev.scaler.swarm;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import dev.scaler.observation.DockerClients;
import dev.scaler.observation.ObservationException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Observes a swarm service through the Docker API of a swarm manager. The count is of RUNNING tasks,
 * not the service's replica setting: after a crash swarm is still set to 3 while 2 serve, and the
 * decision must start from what serves.
 */
@Singleton
public class SwarmObserver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmObserver.class);
    /** What a Docker engine answers on the swarm API when it is no swarm manager. */
    private static final int NOT_A_MANAGER = 503;
    /** The labels that override a target's policy; the same prefix as on compose containers. */
    static final String SCALER_LABEL_PREFIX = "scaler.";

    private final DockerClients.Lazy client;

    /** @param dockerHost the same engine as compose observation ({@code scaler.docker.host}); a swarm manager */
    @Inject
    public SwarmObserver(@Nullable @Value("${scaler.docker.host:}") String dockerHost) {
        this(dockerHost, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    public SwarmObserver(@Nullable String dockerHost, Duration connectTimeout, Duration responseTimeout) {
        this.client = new DockerClients.Lazy(dockerHost, connectTimeout, responseTimeout);
    }

    public SwarmObservation observe(SwarmService service) throws ObservationException {
        String name = service.name();
        try {
            Service found = client.get().inspectServiceCmd(name).exec();
            ServiceModeConfig mode = found.getSpec().getMode();
            if (mode == null || mode.getReplicated() == null) {
                throw new ObservationException("swarm service '" + name + "' is not a replicated service (mode "
                        + (mode == null ? "unknown" : mode.getMode()) + "); Scaler scales replicated services only", null);
            }
            // By the service's id: the name filter of the task list also matches other services' name prefixes.
            List<Task> tasks = client.get().listTasksCmd().withServiceFilter(found.getId())
                    .withStateFilter(TaskState.RUNNING).exec();
            int running = (int) tasks.stream()
                    .filter(t -> t.getDesiredState() == TaskState.RUNNING)
                    .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING)
                    .count();
            return new SwarmObservation(name, running, (int) mode.getReplicated().getReplicas(),
                    found.getSpec().getLabels());
        } catch (NotFoundException e) {
            throw failed(name, "no such service on the swarm manager at " + client.host(), e);
        } catch (DockerException e) {
            if (e.getHttpStatus() == NOT_A_MANAGER) {
                throw failed(name, "the Docker engine at " + client.host() + " is not a swarm manager (run docker swarm"
                        + " init there, or set scaler.docker.host to a manager)", e);
            }
            throw failed(name, ObservationException.describe(e), e);
        } catch (RuntimeException e) {
            throw failed(name, ObservationException.describe(e), e);
        }
    }

    /**
     * The service's own {@code scaler.*} labels ({@code docker service create --label scaler.max-replicas=6}),
     * which override the target's policy as compose labels do (docs/policy.md).
     */
    public Map<String, String> scalerLabels(SwarmService service) throws ObservationException {
        Map<String, String> labels = new TreeMap<>();
        observe(service).labels().forEach((key, value) -> {
            if (key.startsWith(SCALER_LABEL_PREFIX)) {
                labels.put(key, value);
            }
        });
        return Map.copyOf(labels);
    }

    private ObservationException failed(String service, String why, Throwable cause) {
        LOG.warn("swarm observation failed: service={} host={} reason={}", service, client.host(), why);
        return new ObservationException("could not count running tasks of swarm service '" + service + "': " + why,
                cause);
    }

    @PreDestroy
    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            LOG.warn("docker client for {} not closed cleanly: {}", client.host(), e.toString());
        }
    }
}
