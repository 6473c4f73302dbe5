package io.isthmus.nfvo.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;

/**
 * Pauses the scheduler as soon as the application starts shutting down. The Quarkus scheduler stops only when the
 * container is destroyed, and a job it starts in between finds the database or the container gone (logged as "Error
 * Occurred After Shutdown").
 */
@ApplicationScoped
public class SchedulerShutdown {

    void pause(@Observes @Priority(1) ShutdownEvent shutdown, Scheduler scheduler) {
        scheduler.pause();
    }
}
