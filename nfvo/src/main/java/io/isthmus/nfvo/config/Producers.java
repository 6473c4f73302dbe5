package io.isthmus.nfvo.config;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.secret.ConfigSecrets;
import io.isthmus.sol.secret.SecretCipher;

/**
 * The NFVO's clock and the sealer of configuration secrets; the VNFM and the VIM are REST clients with tokens of {@code quarkus.oidc-client}, subscribers'
 * callbacks are the outbox module's ({@code io.isthmus.outbox.callback}).
 */
@ApplicationScoped
public class Producers {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Refuses to start with a key that is not 32 bytes of base64 (the message names the setting, never the key). */
    @Produces
    @Singleton
    ConfigSecrets configSecrets(NfvoConfig config, ObjectMapper json) {
        try {
            return new ConfigSecrets(SecretCipher.ofBase64Key(config.secrets().key()), json);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("isthmus.nfvo.secrets.key (ISTHMUS_NFVO_SECRETS_KEY): " + e.getMessage());
        }
    }
}
