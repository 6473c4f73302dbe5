package io.isthmus.sol.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the secrets of a VNF configuration for storage: AES-GCM with a 256-bit key, a random 12-byte nonce per
 * value and a 128-bit tag. A sealed value is the text {@code v1:<base64 of nonce || ciphertext || tag>}; the plaintext
 * is the value's JSON text. The key never leaves this object ({@link #toString()} does not show it).
 */
public final class SecretCipher {

    /** The prefix of the one format there is. */
    public static final String VERSION = "v1:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKeySpec key;
    private final SecureRandom random;

    private SecretCipher(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
    }

    /**
     * A cipher with the key given as base64 of 32 bytes (a service's {@code isthmus.*.secrets.key}).
     *
     * @throws IllegalArgumentException naming the setting's problem, never the key
     */
    public static SecretCipher ofBase64Key(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            throw new IllegalArgumentException("no key: a base64 text of 32 random bytes is needed");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is no base64 text");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the key is " + key.length + " bytes; AES-256 needs " + KEY_BYTES);
        }
        return new SecretCipher(key, new SecureRandom());
    }

    /** A new random key as base64, as {@code ./nfv} makes one. */
    public static String newBase64Key() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** {@code v1:<base64>} of the plaintext under a fresh nonce. */
    public String encrypt(byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(VERSION.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plaintext);
            return VERSION + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    /**
     * The plaintext of a value {@link #encrypt} made.
     *
     * @throws SecretUnreadableException when the text is not of this format or was not sealed with this key (or was
     *         changed since)
     */
    public byte[] decrypt(String sealed) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new SecretUnreadableException("not a " + VERSION + " sealed value");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            throw new SecretUnreadableException("a sealed value that is no base64 text");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretUnreadableException("a sealed value too short to be one");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(bytes, 0, NONCE_BYTES)));
            cipher.updateAAD(VERSION.getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SecretUnreadableException("a sealed value that this key did not seal, or that was changed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SecretCipher[AES-256-GCM]";
    }

    /** A sealed value that cannot be opened: another key, or changed. */
    public static final class SecretUnreadableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SecretUnreadableException(String message) {
            super(message);
        }
    }
}
