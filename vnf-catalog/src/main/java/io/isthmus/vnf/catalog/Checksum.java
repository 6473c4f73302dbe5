package io.isthmus.vnf.catalog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A digest as SOL003 {@code Checksum} carries it: an algorithm name ({@code SHA-256}, {@code SHA-512}, ...) and the
 * digest in lower-case hexadecimal.
 */
public record Checksum(String algorithm, String hash) {

    public static final String SHA_256 = "SHA-256";

    public Checksum {
        Objects.requireNonNull(algorithm, "algorithm");
        hash = Objects.requireNonNull(hash, "hash").toLowerCase(Locale.ROOT);
    }

    public static Checksum sha256(byte[] content) {
        return of(SHA_256, content);
    }

    /** The digest of content with a JDK {@link MessageDigest} algorithm name. */
    public static Checksum of(String algorithm, byte[] content) {
        try {
            return new Checksum(algorithm,
                    HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm " + algorithm, e);
        }
    }
}
