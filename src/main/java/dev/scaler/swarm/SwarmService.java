package dev.scaler.swarm;

import java.util.regex.Pattern;

/**
 * A Docker Swarm service that Scaler scales ({@code scaler.targets.NAME.swarm-service}).
 *
 * @param name the service's name on the swarm manager, as {@code docker service ls} shows it
 *             (a stack's services are {@code STACK_SERVICE})
 */
public record SwarmService(String name) {

    /** Docker's rule for service names; it also keeps a name from ever being read as a CLI option. */
    static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");

    /** What this service's target owns. */
    public dev.scaler.execution.ServiceKey key() {
        return new dev.scaler.execution.ServiceKey("swarm", "", name);
    }

    public SwarmService {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must match " + NAME.pattern() + ", got '" + name + "'");
        }
    }
}
