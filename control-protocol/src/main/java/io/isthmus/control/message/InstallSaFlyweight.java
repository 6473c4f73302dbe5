package io.isthmus.control.message;

import java.nio.ByteBuffer;

import io.isthmus.control.SecurityAssociation;

/**
 * INSTALL_SA, slowpath to fastpath (additive, only to a fastpath whose HELLO has {@link HelloFlyweight#INSTALL_SA}):
 * one ESP security association into slot {@code SA Index} of the fastpath's SA table, replacing what was there (and
 * resetting its sequence number or replay window). Rules name it in ESP_ENCRYPT and ESP_DECRYPT.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Header (12 bytes, type 12)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           SA Index                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                              SPI                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Direction   |    Cipher     |  Key Length   |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Tunnel Source (outbound, else 0)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Tunnel Destination (outbound, else 0)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Key Material ... (Key Length bytes: AES key, 4-byte salt) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Direction is 1 (outbound: encrypt) or 2 (inbound: decrypt); Cipher is {@link #CIPHER_AES_GCM_16}, the only one so
 * far; Key Length is 20, 28 or 36 (RFC 4106 §8.1).
 */
public final class InstallSaFlyweight {

    public static final int SA_INDEX_OFFSET = 12;
    public static final int SPI_OFFSET = 16;
    public static final int DIRECTION_OFFSET = 20;
    public static final int CIPHER_OFFSET = 21;
    public static final int KEY_LENGTH_OFFSET = 22;
    public static final int TUNNEL_SOURCE_OFFSET = 24;
    public static final int TUNNEL_DESTINATION_OFFSET = 28;
    public static final int KEY_MATERIAL_OFFSET = 32;
    /** The longest INSTALL_SA: AES-256 and its salt. */
    public static final int MAX_LENGTH = KEY_MATERIAL_OFFSET + 36;

    /** AES-GCM with a 16-byte ICV (RFC 4106). */
    public static final int CIPHER_AES_GCM_16 = 1;

    private InstallSaFlyweight() {
    }

    /** Writes an INSTALL_SA of {@code sa}; returns the message length. */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, SecurityAssociation sa) {
        byte[] material = sa.keyMaterial();
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.INSTALL_SA, fastpathId, sequence);
        buffer.putInt(offset + SA_INDEX_OFFSET, sa.index());
        buffer.putInt(offset + SPI_OFFSET, sa.spi());
        buffer.put(offset + DIRECTION_OFFSET, (byte) sa.direction().code());
        buffer.put(offset + CIPHER_OFFSET, (byte) CIPHER_AES_GCM_16);
        buffer.put(offset + KEY_LENGTH_OFFSET, (byte) material.length);
        buffer.put(offset + KEY_LENGTH_OFFSET + 1, (byte) 0);
        buffer.putInt(offset + TUNNEL_SOURCE_OFFSET, sa.tunnelSource());
        buffer.putInt(offset + TUNNEL_DESTINATION_OFFSET, sa.tunnelDestination());
        buffer.put(offset + KEY_MATERIAL_OFFSET, material);
        return KEY_MATERIAL_OFFSET + material.length;
    }

    /** The length of an INSTALL_SA of {@code sa}. */
    public static int length(SecurityAssociation sa) {
        return KEY_MATERIAL_OFFSET + sa.keyMaterial().length;
    }

    /**
     * Whether the message is a complete INSTALL_SA this version understands: known direction and cipher, a key
     * length AES-GCM takes, the key within the message, an index that is not negative and an SPI that is not reserved.
     */
    public static boolean isValid(ByteBuffer buffer, int offset, int length) {
        if (length < KEY_MATERIAL_OFFSET) {
            return false;
        }
        int spi = spi(buffer, offset);
        return saIndex(buffer, offset) >= 0 && (spi < 0 || spi >= 256)
                && SecurityAssociation.Direction.of(direction(buffer, offset)) != null
                && cipher(buffer, offset) == CIPHER_AES_GCM_16
                && SecurityAssociation.isValidKeyMaterialLength(keyLength(buffer, offset))
                && KEY_MATERIAL_OFFSET + keyLength(buffer, offset) <= length;
    }

    public static int saIndex(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + SA_INDEX_OFFSET);
    }

    public static int spi(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + SPI_OFFSET);
    }

    /** 1 outbound, 2 inbound ({@link SecurityAssociation.Direction#code()}). */
    public static int direction(ByteBuffer buffer, int offset) {
        return buffer.get(offset + DIRECTION_OFFSET) & 0xFF;
    }

    public static int cipher(ByteBuffer buffer, int offset) {
        return buffer.get(offset + CIPHER_OFFSET) & 0xFF;
    }

    public static int keyLength(ByteBuffer buffer, int offset) {
        return buffer.get(offset + KEY_LENGTH_OFFSET) & 0xFF;
    }

    public static int tunnelSource(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + TUNNEL_SOURCE_OFFSET);
    }

    public static int tunnelDestination(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + TUNNEL_DESTINATION_OFFSET);
    }

    /** A copy of the key material (control path: installing an SA allocates its key object anyway). */
    public static byte[] keyMaterial(ByteBuffer buffer, int offset) {
        byte[] material = new byte[keyLength(buffer, offset)];
        buffer.get(offset + KEY_MATERIAL_OFFSET, material);
        return material;
    }

    /** Decodes a valid INSTALL_SA ({@link #isValid}) into its SA (control plane and tests). */
    public static SecurityAssociation decode(ByteBuffer buffer, int offset) {
        return new SecurityAssociation(saIndex(buffer, offset), spi(buffer, offset),
                SecurityAssociation.Direction.of(direction(buffer, offset)), keyMaterial(buffer, offset),
                tunnelSource(buffer, offset), tunnelDestination(buffer, offset));
    }
}
