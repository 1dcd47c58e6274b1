package dev.scaler.testing;

import dev.scaler.leader.Leadership;
import io.micronaut.context.ApplicationContext;

import java.time.Duration;

/**
 * A context on PostgreSQL takes part in the leader election (docs/ha.md) and writes history only once it leads;
 * alone on its schema it leads at its first lease attempt, right after start-up.
 */
public final class Leaders {

    private Leaders() {
    }

    public static ApplicationContext awaitLead(ApplicationContext context) {
        Leadership leadership = context.getBean(Leadership.class);
        Await.until("this context to lead", Duration.ofSeconds(30), leadership::mayAct);
        return context;
    }
}
