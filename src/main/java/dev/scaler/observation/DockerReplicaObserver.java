package dev.scaler.observation;

import com.github.dockerjava.api.model.Container;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Counts replicas through the Docker API, by the labels compose puts on every container it starts. */
@Singleton
public class DockerReplicaObserver implements ReplicaObserver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DockerReplicaObserver.class);
    static final String PROJECT_LABEL = "com.docker.compose.project";
    static final String SERVICE_LABEL = "com.docker.compose.service";
    static final String ONEOFF_LABEL = "com.docker.compose.oneoff";
    static final String SCALER_LABEL_PREFIX = "scaler.";

    private final DockerClients.Lazy client;

    /** @param dockerHost e.g. unix:///var/run/docker.sock or tcp://host:2375; empty means DOCKER_HOST or the default socket */
    @Inject
    public DockerReplicaObserver(@Nullable @Value("${scaler.docker.host:}") String dockerHost) {
        this(dockerHost, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    public DockerReplicaObserver(@Nullable String dockerHost, Duration connectTimeout, Duration responseTimeout) {
        this.client = new DockerClients.Lazy(dockerHost, connectTimeout, responseTimeout);
    }

    @Override
    public int runningReplicas(String composeProject, String service) throws ObservationException {
        return replicas(composeProject, service).running();
    }

    @Override
    public Map<String, String> scalerLabels(String composeProject, String service) throws ObservationException {
        return replicas(composeProject, service).scalerLabels();
    }

    @Override
    public ServiceReplicas replicas(String composeProject, String service) throws ObservationException {
        try {
            List<Container> containers = client.get().listContainersCmd()
                    .withLabelFilter(Map.of(PROJECT_LABEL, composeProject, SERVICE_LABEL, service))
                    .withStatusFilter(List.of("running"))
                    .exec();
            return group(containers).getOrDefault(new ComposeSnapshot.Service(composeProject, service),
                    ServiceReplicas.NONE);
        } catch (RuntimeException e) {
            LOG.warn("replica count failed: project={} service={} host={} reason={}", composeProject, service,
                    client.host(), e.toString());
            throw new ObservationException(composeProject, service, e);
        }
    }

    /** One listing of every running container that compose started, grouped by project and service. */
    @Override
    public ComposeSnapshot snapshot() throws ObservationException {
        try {
            List<Container> containers = client.get().listContainersCmd()
                    .withLabelFilter(List.of(PROJECT_LABEL))
                    .withStatusFilter(List.of("running"))
                    .exec();
            return new ComposeSnapshot(Instant.now(), group(containers));
        } catch (RuntimeException e) {
            LOG.warn("compose listing failed: host={} reason={}", client.host(), e.toString());
            throw new ObservationException("could not list the running compose containers on " + client.host() + ": "
                    + ObservationException.describe(e), e);
        }
    }

    @Override
    public boolean lists() {
        return true;
    }

    /**
     * Replicas per service. "compose run" containers carry the same project and service labels but are not
     * replicas; the newest container carries the service's current labels, older ones may predate an edit.
     */
    static Map<ComposeSnapshot.Service, ServiceReplicas> group(List<Container> containers) {
        Map<ComposeSnapshot.Service, List<Container>> byService = new HashMap<>();
        for (Container c : containers) {
            Map<String, String> labels = c.getLabels();
            if (labels == null || "True".equalsIgnoreCase(labels.get(ONEOFF_LABEL))
                    || labels.get(PROJECT_LABEL) == null || labels.get(SERVICE_LABEL) == null) {
                continue;
            }
            byService.computeIfAbsent(new ComposeSnapshot.Service(labels.get(PROJECT_LABEL), labels.get(SERVICE_LABEL)),
                    k -> new ArrayList<>()).add(c);
        }
        Map<ComposeSnapshot.Service, ServiceReplicas> result = new HashMap<>();
        byService.forEach((service, list) -> {
            Container newest = list.stream()
                    .max(Comparator.comparing(c -> c.getCreated() == null ? 0L : c.getCreated())).orElseThrow();
            Map<String, String> scaler = newest.getLabels().entrySet().stream()
                    .filter(e -> e.getKey().startsWith(SCALER_LABEL_PREFIX))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
            result.put(service, new ServiceReplicas(list.size(), scaler));
        });
        return result;
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
