package io.isthmus.nfvo.config;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The clock and the HTTP client of the NFVO's plain calls (callback checks of subscriptions); the VNFM and the VIM are
 * REST clients with tokens of {@code quarkus.oidc-client}.
 */
@ApplicationScoped
public class Producers {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
}
