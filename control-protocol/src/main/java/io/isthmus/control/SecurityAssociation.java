package io.isthmus.control;

import java.util.Arrays;

/**
 * An ESP security association as the slowpath installs it in a fastpath's SA table (INSTALL_SA): tunnel mode
 * (RFC 4303) with AES-GCM and a 16-byte ICV (RFC 4106), 32-bit sequence numbers. Rules name it by {@code index} in
 * their ESP_ENCRYPT and ESP_DECRYPT actions.
 *
 * @param index the slot in the fastpath's SA table
 * @param spi the security parameter index (256 and above; 0..255 are reserved)
 * @param direction outbound SAs encrypt, inbound ones decrypt and check replay
 * @param keyMaterial the AES key followed by the 4-byte salt (RFC 4106 §8.1: 20, 28 or 36 bytes)
 * @param tunnelSource the outer IPv4 source of encrypted packets (outbound; 0 for inbound)
 * @param tunnelDestination the outer IPv4 destination of encrypted packets (outbound; 0 for inbound)
 */
public record SecurityAssociation(int index, int spi, Direction direction, byte[] keyMaterial, int tunnelSource,
        int tunnelDestination) {

    /** What the SA does: its byte on the wire. */
    public enum Direction {
        /** Encrypts (ESP_ENCRYPT). */
        OUTBOUND(1),
        /** Decrypts and checks replay (ESP_DECRYPT). */
        INBOUND(2);

        private final int code;

        Direction(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The direction of a wire code, or null for an unknown one. */
        public static Direction of(int code) {
            return switch (code) {
                case 1 -> OUTBOUND;
                case 2 -> INBOUND;
                default -> null;
            };
        }
    }

    public SecurityAssociation {
        if (index < 0) {
            throw new IllegalArgumentException("SA index is negative: " + index);
        }
        if (spi >= 0 && spi < 256) {
            throw new IllegalArgumentException("SPIs 0..255 are reserved (RFC 4303 §2.1): " + spi);
        }
        if (direction == null) {
            throw new IllegalArgumentException("an SA has a direction");
        }
        if (!isValidKeyMaterialLength(keyMaterial.length)) {
            throw new IllegalArgumentException("AES-GCM keying material is 20, 28 or 36 bytes: " + keyMaterial.length);
        }
        keyMaterial = keyMaterial.clone();
    }

    /** Whether {@code length} bytes are AES-128, -192 or -256 key material plus a 4-byte salt. */
    public static boolean isValidKeyMaterialLength(int length) {
        return length == 20 || length == 28 || length == 36;
    }

    public static SecurityAssociation outbound(int index, int spi, byte[] keyMaterial, int tunnelSource,
            int tunnelDestination) {
        return new SecurityAssociation(index, spi, Direction.OUTBOUND, keyMaterial, tunnelSource, tunnelDestination);
    }

    public static SecurityAssociation inbound(int index, int spi, byte[] keyMaterial) {
        return new SecurityAssociation(index, spi, Direction.INBOUND, keyMaterial, 0, 0);
    }

    @Override
    public byte[] keyMaterial() {
        return keyMaterial.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecurityAssociation that && index == that.index && spi == that.spi
                && direction == that.direction && Arrays.equals(keyMaterial, that.keyMaterial)
                && tunnelSource == that.tunnelSource && tunnelDestination == that.tunnelDestination;
    }

    @Override
    public int hashCode() {
        return (((index * 31 + spi) * 31 + direction.hashCode()) * 31 + Arrays.hashCode(keyMaterial)) * 31
                + tunnelSource * 17 + tunnelDestination;
    }

    /** Leaves the keys out. */
    @Override
    public String toString() {
        return "sa[" + index + "] spi=" + Integer.toUnsignedString(spi, 16) + " " + direction + " "
                + Ipv4Addresses.format(tunnelSource) + " -> " + Ipv4Addresses.format(tunnelDestination);
    }
}
