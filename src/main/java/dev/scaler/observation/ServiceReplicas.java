package dev.scaler.observation;

import java.util.Map;

/**
 * A compose service's running replicas and the {@code scaler.*} labels of its newest running container
 * (compose copies a service's {@code labels:} onto each; older containers may predate an edit).
 */
public record ServiceReplicas(int running, Map<String, String> scalerLabels) {

    public static final ServiceReplicas NONE = new ServiceReplicas(0, Map.of());

    public ServiceReplicas {
        if (running < 0) {
            throw new IllegalArgumentException("running cannot be negative, got " + running);
        }
        scalerLabels = Map.copyOf(scalerLabels);
    }
}
