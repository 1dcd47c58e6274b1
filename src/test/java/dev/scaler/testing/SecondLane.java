package dev.scaler.testing;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A class of the suite's second lane (src/test/resources/junit-platform.properties): it runs beside the rest of
 * the suite, and one after the other with the other classes of the lane. For classes that spend their time
 * waiting on SSH, Ansible or swarm rather than on the CPU, and that share no state with the others: their own
 * sshd hosts (the fleet classes share 127.0.0.2 and up, hence one lane for all), compose projects, swarm
 * services, Prometheus and Scaler; ports chosen free; no look at what else runs on the machine or the engine.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("second-lane")
public @interface SecondLane {
}
