package io.isthmus.vnfm.config;

import java.net.http.HttpClient;
import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The few objects the vnfm builds rather than discovers: the clock and the HTTP client of its plain calls (slowpath
 * configuration, callback checks). The nfvo and the vim are REST clients with tokens of {@code quarkus.oidc-client}.
 */
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
}
