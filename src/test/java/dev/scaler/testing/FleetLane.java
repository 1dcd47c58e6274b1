package dev.scaler.testing;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A class of the fleet lane (src/test/resources/junit-platform.properties): it runs beside the rest of the
 * suite, and after or before, never beside, the other classes of the lane, which share the loopback addresses
 * of {@link SshFleet}. For classes that wait on SSH and Ansible and share no state with the others: their own
 * sshd hosts, compose projects, Prometheus and Scaler, and no look at what runs on the whole machine.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("ssh-fleet")
public @interface FleetLane {
}
