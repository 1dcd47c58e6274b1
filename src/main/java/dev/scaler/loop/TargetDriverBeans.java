package dev.scaler.loop;

import dev.scaler.compose.ComposeDriver;
import dev.scaler.execution.ScaleExecutor;
import dev.scaler.fleet.FleetTargetDriver;
import dev.scaler.observation.ReplicaObserver;
import dev.scaler.swarm.SwarmDriver;
import dev.scaler.target.TargetDrivers;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/** One driver per target kind, shared by the loop and the manual scale. */
@Factory
class TargetDriverBeans {

    @Singleton
    ComposeDriver composeDriver(ReplicaObserver observer, ScaleExecutor executor, Clock clock) {
        return new ComposeDriver(observer, executor, clock);
    }

    @Singleton
    TargetDrivers targetDrivers(ComposeDriver compose, SwarmDriver swarm, FleetTargetDriver fleet) {
        return new TargetDrivers(compose, swarm, fleet);
    }
}
