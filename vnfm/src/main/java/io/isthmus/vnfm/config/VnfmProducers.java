package io.isthmus.vnfm.config;

import java.net.http.HttpClient;
import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.secret.ConfigSecrets;
import io.isthmus.sol.secret.SecretCipher;

/**
 * The few objects the vnfm builds rather than discovers: the clock, the sealer of configuration secrets and the HTTP client of its plain calls (slowpath
 * configuration, callback checks). The nfvo and the vim are REST clients with tokens of {@code quarkus.oidc-client}.
 */
public class VnfmProducers {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Refuses to start with a key that is not 32 bytes of base64 (the message names the setting, never the key). */
    @Produces
    @Singleton
    ConfigSecrets configSecrets(VnfmConfig config, ObjectMapper json) {
        try {
            return new ConfigSecrets(SecretCipher.ofBase64Key(config.secrets().key()), json);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("isthmus.vnfm.secrets.key (ISTHMUS_VNFM_SECRETS_KEY): " + e.getMessage());
        }
    }

    @Produces
    @Singleton
    HttpClient httpClient(VnfmConfig config) {
        return HttpClient.newBuilder().connectTimeout(config.http().connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).build();
    }
}
