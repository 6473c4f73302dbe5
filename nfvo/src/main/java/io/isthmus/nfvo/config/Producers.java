package io.isthmus.nfvo.config;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.client.ServiceTokens;
import io.isthmus.sol.client.SolHttpClient;

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

    @Produces
    @Singleton
    ServiceTokens tokens(HttpClient http, ObjectMapper json, NfvoConfig config, Clock clock) {
        return new ServiceTokens(http, json, config.oidcUrl(), config.clientId(), config.clientSecret(), clock);
    }

    @Produces
    @Singleton
    @Named("vnfm")
    SolHttpClient vnfm(HttpClient http, ObjectMapper json, NfvoConfig config, ServiceTokens tokens) {
        return new SolHttpClient(http, json, config.vnfmUrl(), tokens);
    }

    @Produces
    @Singleton
    @Named("vim")
    SolHttpClient vim(HttpClient http, ObjectMapper json, NfvoConfig config, ServiceTokens tokens) {
        return new SolHttpClient(http, json, config.vimUrl(), tokens);
    }
}
