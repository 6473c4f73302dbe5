package io.isthmus.vnfm.config;

import java.net.http.HttpClient;
import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.client.ServiceTokens;

/** The few objects the vnfm builds rather than discovers: the clock, the HTTP client, its own service tokens. */
public class VnfmProducers {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    HttpClient httpClient(VnfmConfig config) {
        return HttpClient.newBuilder().connectTimeout(config.http().connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Produces
    @Singleton
    ServiceTokens serviceTokens(HttpClient http, ObjectMapper json, VnfmConfig config, Clock clock,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String realmUrl) {
        return new ServiceTokens(http, json, realmUrl, config.client().id(), config.client().secret(), clock);
    }
}
