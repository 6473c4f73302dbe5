package io.isthmus.outbox.callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.sol.model.SubscriptionAuthentication;
import io.isthmus.sol.model.SubscriptionAuthentication.ParamsBasic;
import io.isthmus.sol.model.SubscriptionAuthentication.ParamsOauth2ClientCredentials;

/**
 * The secrets of a subscription's authentication at rest: with {@code isthmus.callbacks.secrets-key} set, the
 * passwords are stored sealed with AES-256-GCM ({@code aesgcm:} + base64 of nonce and ciphertext); without it, as
 * given. A stored value that is not sealed is read as it is, so a key can be set on a platform that ran without one.
 */
@ApplicationScoped
public class CallbackSecrets {

    private static final String SEALED = "aesgcm:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Optional<SecretKey> key;
    private final SecureRandom random = new SecureRandom();

    public CallbackSecrets(CallbackConfig config) {
        this.key = config.secretsKey().map(CallbackSecrets::aesKey);
    }

    private static SecretKey aesKey(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64.trim());
        if (bytes.length != 32) {
            throw new IllegalArgumentException("isthmus.callbacks.secrets-key must be 32 bytes, base64-encoded");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** The authentication as it is to be stored. */
    public SubscriptionAuthentication sealed(SubscriptionAuthentication a) {
        return a == null ? null : map(a, true);
    }

    /** The authentication as stored, its secrets usable again. */
    public SubscriptionAuthentication opened(SubscriptionAuthentication a) {
        return a == null ? null : map(a, false);
    }

    private SubscriptionAuthentication map(SubscriptionAuthentication a, boolean seal) {
        ParamsBasic basic = a.paramsBasic() == null
                ? null
                : new ParamsBasic(a.paramsBasic().userName(), convert(a.paramsBasic().password(), seal));
        ParamsOauth2ClientCredentials o = a.paramsOauth2ClientCredentials();
        ParamsOauth2ClientCredentials oauth = o == null
                ? null
                : new ParamsOauth2ClientCredentials(o.clientId(), convert(o.clientPassword(), seal), o.tokenEndpoint());
        return new SubscriptionAuthentication(a.authType(), basic, oauth);
    }

    private String convert(String value, boolean seal) {
        if (value == null) {
            return null;
        }
        return seal ? seal(value) : open(value);
    }

    private String seal(String secret) {
        if (key.isEmpty()) {
            return secret;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, key.get(), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = aes.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return SEALED + Base64.getEncoder()
                    .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a callback secret", e);
        }
    }

    private String open(String stored) {
        if (!stored.startsWith(SEALED)) {
            return stored;
        }
        if (key.isEmpty()) {
            throw new IllegalStateException(
                    "a callback secret is sealed, but isthmus.callbacks.secrets-key is not set");
        }
        byte[] bytes = Base64.getDecoder().decode(stored.substring(SEALED.length()));
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, key.get(), new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            return new String(aes.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open a callback secret (another secrets-key?)", e);
        }
    }
}
