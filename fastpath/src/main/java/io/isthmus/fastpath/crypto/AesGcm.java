package io.isthmus.fastpath.crypto;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * AES-GCM with a 16-byte tag for ESP (RFC 4106): one {@link Context} per SA and direction, keyed once, then per
 * packet only a nonce (the SA's 4-byte salt and the packet's 8-byte IV), the AAD and the data. An instance belongs to
 * one thread (a fastpath worker's SA table): its contexts share its scratch memory.
 * <p>
 * {@link #best()} is OpenSSL's libcrypto through the FFM API ({@link OpenSslAesGcm}: AES-NI and carry-less multiply,
 * nothing allocated per packet) when it loads, else javax.crypto ({@link JdkAesGcm}: a little garbage per packet).
 * {@code -Disthmus.fastpath.esp.crypto=jdk} forces javax.crypto, {@code =openssl} insists on OpenSSL.
 */
public abstract class AesGcm {

    /** The system property that picks the implementation: {@code jdk}, {@code openssl} or unset (the best). */
    public static final String PROPERTY = "isthmus.fastpath.esp.crypto";
    /** The tag (ICV) length. */
    public static final int TAG_LENGTH = 16;
    /** The longest AAD {@link Context#seal(ByteBuffer, int, int, int, long, byte[])} takes. */
    public static final int MAX_AAD_LENGTH = 64;

    private static final System.Logger LOG = System.getLogger(AesGcm.class.getName());
    private static volatile boolean loggedFallback;

    /** OpenSSL if it loads and {@link #PROPERTY} does not say {@code jdk}, else javax.crypto. */
    public static AesGcm best() {
        String choice = System.getProperty(PROPERTY, "");
        if ("jdk".equalsIgnoreCase(choice)) {
            return new JdkAesGcm();
        }
        if (OpenSslAesGcm.isAvailable()) {
            return new OpenSslAesGcm();
        }
        if ("openssl".equalsIgnoreCase(choice)) {
            throw new IllegalStateException("-D" + PROPERTY + "=openssl, but libcrypto does not load: "
                    + OpenSslAesGcm.unavailableReason());
        }
        if (!loggedFallback) {
            loggedFallback = true;
            LOG.log(Level.WARNING, "ESP uses javax.crypto (slower, allocates per packet): libcrypto does not load: "
                    + OpenSslAesGcm.unavailableReason());
        }
        return new JdkAesGcm();
    }

    /** javax.crypto, always there. */
    public static AesGcm jdk() {
        return new JdkAesGcm();
    }

    /** OpenSSL's libcrypto; throws {@link IllegalStateException} if it does not load. */
    public static AesGcm openSsl() {
        if (!OpenSslAesGcm.isAvailable()) {
            throw new IllegalStateException("libcrypto does not load: " + OpenSslAesGcm.unavailableReason());
        }
        return new OpenSslAesGcm();
    }

    /** Which implementation: {@code openssl} or {@code jdk}. */
    public abstract String name();

    /**
     * A context for an AES key ({@code keyLength} 16, 24 or 32 bytes of {@code key} from {@code keyOffset}) and the
     * 4-byte {@code salt} that starts every nonce (RFC 4106 §4); it encrypts ({@code encrypt}) or decrypts.
     * Control-path work: it may allocate.
     */
    public abstract Context context(byte[] key, int keyOffset, int keyLength, int salt, boolean encrypt);

    /** One SA's keyed cipher in one direction. Not thread safe; {@link #close()} frees it. */
    public abstract static class Context implements AutoCloseable {

        /**
         * Encrypts the {@code length} bytes of {@code buffer} at {@code source} and writes the ciphertext and the
         * 16-byte tag after it to {@code destination} (the two may overlap). The nonce is the salt and {@code iv};
         * the AAD is {@code aadLength} (8 or 12) bytes: the big-endian words {@code aad0, aad1} (8) or
         * {@code aad0, aad1, aad2} (12).
         */
        public abstract void seal(ByteBuffer buffer, int source, int length, int destination, long iv, int aad0,
                int aad1, int aad2, int aadLength);

        /**
         * Authenticates the {@code length} bytes of ciphertext at {@code source} followed by their 16-byte tag, and
         * if they verify writes the plaintext to {@code destination} (the two may overlap); returns whether they
         * verified. Nonce and AAD as in {@link #seal}.
         */
        public abstract boolean open(ByteBuffer buffer, int source, int length, int destination, long iv, int aad0,
                int aad1, int aad2, int aadLength);

        /** {@link #seal} with any AAD of up to {@link #MAX_AAD_LENGTH} bytes (known-answer tests; allocates maybe). */
        public abstract void seal(ByteBuffer buffer, int source, int length, int destination, long iv, byte[] aad);

        /** {@link #open} with any AAD of up to {@link #MAX_AAD_LENGTH} bytes. */
        public abstract boolean open(ByteBuffer buffer, int source, int length, int destination, long iv, byte[] aad);

        /** Frees the context (its key schedule is wiped); it must not be used again. */
        @Override
        public abstract void close();
    }
}
