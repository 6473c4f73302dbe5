package io.isthmus.nfvo.config;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The NFVO's clock; the VNFM and the VIM are REST clients with tokens of {@code quarkus.oidc-client}, subscribers'
 * callbacks are the outbox module's ({@code io.isthmus.outbox.callback}).
 */
@ApplicationScoped
public class Producers {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
