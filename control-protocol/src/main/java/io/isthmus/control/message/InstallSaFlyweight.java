package io.isthmus.control.message;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.SecurityAssociation.AddressRange;

/**
 * INSTALL_SA, slowpath to fastpath (additive, only to a fastpath whose HELLO has {@link HelloFlyweight#INSTALL_SA}):
 * one ESP security association into slot {@code SA Index} of the fastpath's SA table, replacing what was there (and
 * resetting its sequence number, replay window and counters, unless it is the same SA: same direction, SPI and
 * keys). Rules name it in ESP_ENCRYPT and ESP_DECRYPT.
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
 * |   Direction   |    Cipher     |  Key Length   |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Tunnel Source (outbound, else 0)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Tunnel Destination (outbound, else 0)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Key Material ... (Key Length bytes: AES key, 4-byte salt) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   SA Flags    |                   Reserved                    |  (the extension: with Flags EXTENDED)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Replay Window (packets, 0: default)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Encapsulation Source Port   | Encapsulation Destination Port|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Byte Limit (64, 0: none)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Source Count  |  Dest. Count  |           Reserved            |  (the selectors: with SA Flags SELECTORS)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Source Range Start (Source Count times ...   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Source Range End       ... each a start, end)|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Destination Range Start (Dest. Count times ...     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Destination Range End         ... each a start, end)|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Direction is 1 (outbound: encrypt) or 2 (inbound: decrypt); Cipher is {@link #CIPHER_AES_GCM_16}, the only one so
 * far; Key Length is 20, 28 or 36 (RFC 4106 §8.1). Flags (the first version's reserved byte, 0) has
 * {@link #FLAG_EXTENDED} when the {@value #EXTENSION_LENGTH}-byte extension follows the key: SA Flags
 * ({@link #SA_FLAG_ESN}), the replay window, the UDP encapsulation ports (both 0: plain ESP) and the byte limit
 * ({@link SecurityAssociation}). An inbound SA with traffic selectors has {@link #SA_FLAG_SELECTORS} and the selectors
 * after the extension: the counts of its inner source and destination ranges (each at most
 * {@link SecurityAssociation#MAX_SELECTOR_RANGES}), then each range's first and last IPv4 address (start not above
 * end, unsigned), sources first; at most {@value #MAX_LENGTH} bytes in all, within
 * {@link ControlProtocol#MAX_BATCH_BYTES}. The extension is only sent to a fastpath whose HELLO has
 * {@link HelloFlyweight#ESP_EXTENDED}: an older one would ignore it and run the SA without it, so an SA that needs
 * it ({@link SecurityAssociation#needsExtendedInstall()}) is not sent to such a fastpath at all.
 */
public final class InstallSaFlyweight {

    public static final int SA_INDEX_OFFSET = 12;
    public static final int SPI_OFFSET = 16;
    public static final int DIRECTION_OFFSET = 20;
    public static final int CIPHER_OFFSET = 21;
    public static final int KEY_LENGTH_OFFSET = 22;
    public static final int FLAGS_OFFSET = 23;
    public static final int TUNNEL_SOURCE_OFFSET = 24;
    public static final int TUNNEL_DESTINATION_OFFSET = 28;
    public static final int KEY_MATERIAL_OFFSET = 32;
    /** The extension's fields, from its start (after the key material). */
    public static final int SA_FLAGS_OFFSET = 0;
    public static final int REPLAY_WINDOW_OFFSET = 4;
    public static final int ENCAPSULATION_SOURCE_PORT_OFFSET = 8;
    public static final int ENCAPSULATION_DESTINATION_PORT_OFFSET = 10;
    public static final int BYTE_LIMIT_OFFSET = 12;
    public static final int EXTENSION_LENGTH = 20;
    /** The selectors' fields, from their start (after the extension). */
    public static final int SOURCE_COUNT_OFFSET = 0;
    public static final int DESTINATION_COUNT_OFFSET = 1;
    public static final int RANGES_OFFSET = 4;
    /** A range: its first and its last address. */
    public static final int RANGE_LENGTH = 8;
    /** The longest INSTALL_SA: AES-256 and its salt, the extension and the most selectors (1,116 bytes). */
    public static final int MAX_LENGTH = KEY_MATERIAL_OFFSET + 36 + EXTENSION_LENGTH + RANGES_OFFSET
            + 2 * SecurityAssociation.MAX_SELECTOR_RANGES * RANGE_LENGTH;

    /** Flags: the extension follows the key material. */
    public static final int FLAG_EXTENDED = 1;
    /** SA Flags: extended sequence numbers (RFC 4303 §2.2.1). */
    public static final int SA_FLAG_ESN = 1;
    /** SA Flags: the selectors follow the extension (RFC 4301 §5.2 step 4). */
    public static final int SA_FLAG_SELECTORS = 2;

    /** AES-GCM with a 16-byte ICV (RFC 4106). */
    public static final int CIPHER_AES_GCM_16 = 1;

    private InstallSaFlyweight() {
    }

    /**
     * Writes an INSTALL_SA of {@code sa} in the first version's form, for a fastpath without
     * {@link HelloFlyweight#ESP_EXTENDED}; returns the message length. The SA must not
     * {@link SecurityAssociation#needsExtendedInstall() need} the extension.
     */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, SecurityAssociation sa) {
        if (sa.needsExtendedInstall()) {
            throw new IllegalArgumentException("an SA with ESN, a window, UDP encapsulation or a byte limit needs"
                    + " the extended INSTALL_SA: " + sa);
        }
        return encode(buffer, offset, fastpathId, sequence, sa, false);
    }

    /**
     * Writes an INSTALL_SA of {@code sa}, with the extension if {@code extended} (for a fastpath whose HELLO has
     * {@link HelloFlyweight#ESP_EXTENDED}); returns the message length.
     */
    public static int encode(ByteBuffer buffer, int offset, int fastpathId, int sequence, SecurityAssociation sa,
            boolean extended) {
        byte[] material = sa.keyMaterial();
        ControlProtocol.encodeHeader(buffer, offset, ControlProtocol.INSTALL_SA, fastpathId, sequence);
        buffer.putInt(offset + SA_INDEX_OFFSET, sa.index());
        buffer.putInt(offset + SPI_OFFSET, sa.spi());
        buffer.put(offset + DIRECTION_OFFSET, (byte) sa.direction().code());
        buffer.put(offset + CIPHER_OFFSET, (byte) CIPHER_AES_GCM_16);
        buffer.put(offset + KEY_LENGTH_OFFSET, (byte) material.length);
        buffer.put(offset + FLAGS_OFFSET, (byte) (extended ? FLAG_EXTENDED : 0));
        buffer.putInt(offset + TUNNEL_SOURCE_OFFSET, sa.tunnelSource());
        buffer.putInt(offset + TUNNEL_DESTINATION_OFFSET, sa.tunnelDestination());
        buffer.put(offset + KEY_MATERIAL_OFFSET, material);
        if (!extended) {
            return KEY_MATERIAL_OFFSET + material.length;
        }
        int extension = offset + KEY_MATERIAL_OFFSET + material.length;
        int saFlags = (sa.esn() ? SA_FLAG_ESN : 0) | (sa.hasSelectors() ? SA_FLAG_SELECTORS : 0);
        buffer.putInt(extension + SA_FLAGS_OFFSET, saFlags << 24);
        buffer.putInt(extension + REPLAY_WINDOW_OFFSET, sa.replayWindow());
        buffer.putShort(extension + ENCAPSULATION_SOURCE_PORT_OFFSET, (short) sa.encapsulationSourcePort());
        buffer.putShort(extension + ENCAPSULATION_DESTINATION_PORT_OFFSET, (short) sa.encapsulationDestinationPort());
        buffer.putLong(extension + BYTE_LIMIT_OFFSET, sa.byteLimit());
        if (!sa.hasSelectors()) {
            return KEY_MATERIAL_OFFSET + material.length + EXTENSION_LENGTH;
        }
        int selectors = extension + EXTENSION_LENGTH;
        buffer.put(selectors + SOURCE_COUNT_OFFSET, (byte) sa.sourceRanges().size());
        buffer.put(selectors + DESTINATION_COUNT_OFFSET, (byte) sa.destinationRanges().size());
        buffer.putShort(selectors + DESTINATION_COUNT_OFFSET + 1, (short) 0);
        int at = selectors + RANGES_OFFSET;
        at = putRanges(buffer, at, sa.sourceRanges());
        at = putRanges(buffer, at, sa.destinationRanges());
        return at - offset;
    }

    private static int putRanges(ByteBuffer buffer, int at, List<AddressRange> ranges) {
        for (int i = 0; i < ranges.size(); i++) {
            buffer.putInt(at, ranges.get(i).start());
            buffer.putInt(at + 4, ranges.get(i).end());
            at += RANGE_LENGTH;
        }
        return at;
    }

    /** The length of an INSTALL_SA of {@code sa} in the first version's form. */
    public static int length(SecurityAssociation sa) {
        return KEY_MATERIAL_OFFSET + sa.keyMaterial().length;
    }

    /** The length of an INSTALL_SA of {@code sa}, with the extension if {@code extended}. */
    public static int length(SecurityAssociation sa, boolean extended) {
        if (!extended) {
            return length(sa);
        }
        int ranges = sa.sourceRanges().size() + sa.destinationRanges().size();
        return length(sa) + EXTENSION_LENGTH + (sa.hasSelectors() ? RANGES_OFFSET + ranges * RANGE_LENGTH : 0);
    }

    /**
     * Whether the message is a complete INSTALL_SA this version understands: known direction and cipher, a key
     * length AES-GCM takes, the key within the message, an index that is not negative and an SPI that is not reserved;
     * with the extension, the extension within the message, a window up to
     * {@link SecurityAssociation#MAX_REPLAY_WINDOW} and two encapsulation ports or none; with selectors, an inbound SA,
     * the counts up to {@link SecurityAssociation#MAX_SELECTOR_RANGES}, the ranges within the message and none ending
     * before it starts.
     */
    public static boolean isValid(ByteBuffer buffer, int offset, int length) {
        if (length < KEY_MATERIAL_OFFSET) {
            return false;
        }
        int spi = spi(buffer, offset);
        boolean valid = saIndex(buffer, offset) >= 0 && (spi < 0 || spi >= 256)
                && SecurityAssociation.Direction.of(direction(buffer, offset)) != null
                && cipher(buffer, offset) == CIPHER_AES_GCM_16
                && SecurityAssociation.isValidKeyMaterialLength(keyLength(buffer, offset))
                && KEY_MATERIAL_OFFSET + keyLength(buffer, offset) <= length;
        if (!valid || !isExtended(buffer, offset)) {
            return valid;
        }
        if (KEY_MATERIAL_OFFSET + keyLength(buffer, offset) + EXTENSION_LENGTH > length) {
            return false;
        }
        int window = replayWindow(buffer, offset);
        valid = window >= 0 && window <= SecurityAssociation.MAX_REPLAY_WINDOW
                && SecurityAssociation.isValidEncapsulation(encapsulationSourcePort(buffer, offset),
                        encapsulationDestinationPort(buffer, offset))
                && byteLimit(buffer, offset) >= 0;
        if (!valid || !hasSelectors(buffer, offset)) {
            return valid;
        }
        int selectors = extension(buffer, offset) + EXTENSION_LENGTH;
        if (selectors + RANGES_OFFSET > offset + length
                || direction(buffer, offset) != SecurityAssociation.Direction.INBOUND.code()) {
            return false;
        }
        int sources = sourceRangeCount(buffer, offset);
        int destinations = destinationRangeCount(buffer, offset);
        if (sources > SecurityAssociation.MAX_SELECTOR_RANGES
                || destinations > SecurityAssociation.MAX_SELECTOR_RANGES
                || selectors + RANGES_OFFSET + (sources + destinations) * RANGE_LENGTH > offset + length) {
            return false;
        }
        for (int i = 0, at = selectors + RANGES_OFFSET; i < sources + destinations; i++, at += RANGE_LENGTH) {
            if (Integer.compareUnsigned(buffer.getInt(at), buffer.getInt(at + 4)) > 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the message carries selectors ({@link #SA_FLAG_SELECTORS}; false without the extension). */
    public static boolean hasSelectors(ByteBuffer buffer, int offset) {
        return isExtended(buffer, offset)
                && ((buffer.get(extension(buffer, offset) + SA_FLAGS_OFFSET) & 0xFF) & SA_FLAG_SELECTORS) != 0;
    }

    /** The number of inner source ranges (0 without selectors). */
    public static int sourceRangeCount(ByteBuffer buffer, int offset) {
        return hasSelectors(buffer, offset)
                ? buffer.get(extension(buffer, offset) + EXTENSION_LENGTH + SOURCE_COUNT_OFFSET) & 0xFF
                : 0;
    }

    /** The number of inner destination ranges (0 without selectors). */
    public static int destinationRangeCount(ByteBuffer buffer, int offset) {
        return hasSelectors(buffer, offset)
                ? buffer.get(extension(buffer, offset) + EXTENSION_LENGTH + DESTINATION_COUNT_OFFSET) & 0xFF
                : 0;
    }

    /** The inner source ranges of a valid INSTALL_SA (empty: any). */
    public static List<AddressRange> sourceRanges(ByteBuffer buffer, int offset) {
        return ranges(buffer, extension(buffer, offset) + EXTENSION_LENGTH + RANGES_OFFSET,
                sourceRangeCount(buffer, offset));
    }

    /** The inner destination ranges of a valid INSTALL_SA (empty: any). */
    public static List<AddressRange> destinationRanges(ByteBuffer buffer, int offset) {
        return ranges(buffer,
                extension(buffer, offset) + EXTENSION_LENGTH + RANGES_OFFSET
                        + sourceRangeCount(buffer, offset) * RANGE_LENGTH,
                destinationRangeCount(buffer, offset));
    }

    private static List<AddressRange> ranges(ByteBuffer buffer, int at, int count) {
        List<AddressRange> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++, at += RANGE_LENGTH) {
            ranges.add(new AddressRange(buffer.getInt(at), buffer.getInt(at + 4)));
        }
        return ranges;
    }

    /** Whether the message carries the extension ({@link #FLAG_EXTENDED}). */
    public static boolean isExtended(ByteBuffer buffer, int offset) {
        return (buffer.get(offset + FLAGS_OFFSET) & FLAG_EXTENDED) != 0;
    }

    private static int extension(ByteBuffer buffer, int offset) {
        return offset + KEY_MATERIAL_OFFSET + keyLength(buffer, offset);
    }

    /** Extended sequence numbers (false without the extension). */
    public static boolean esn(ByteBuffer buffer, int offset) {
        return isExtended(buffer, offset)
                && ((buffer.get(extension(buffer, offset) + SA_FLAGS_OFFSET) & 0xFF) & SA_FLAG_ESN) != 0;
    }

    /** The replay window in packets, 0 for the default (and without the extension). */
    public static int replayWindow(ByteBuffer buffer, int offset) {
        return isExtended(buffer, offset) ? buffer.getInt(extension(buffer, offset) + REPLAY_WINDOW_OFFSET) : 0;
    }

    public static int encapsulationSourcePort(ByteBuffer buffer, int offset) {
        return isExtended(buffer, offset)
                ? buffer.getShort(extension(buffer, offset) + ENCAPSULATION_SOURCE_PORT_OFFSET) & 0xFFFF
                : 0;
    }

    public static int encapsulationDestinationPort(ByteBuffer buffer, int offset) {
        return isExtended(buffer, offset)
                ? buffer.getShort(extension(buffer, offset) + ENCAPSULATION_DESTINATION_PORT_OFFSET) & 0xFFFF
                : 0;
    }

    /** The byte limit, 0 for none (and without the extension). */
    public static long byteLimit(ByteBuffer buffer, int offset) {
        return isExtended(buffer, offset) ? buffer.getLong(extension(buffer, offset) + BYTE_LIMIT_OFFSET) : 0;
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
                tunnelSource(buffer, offset), tunnelDestination(buffer, offset), esn(buffer, offset),
                replayWindow(buffer, offset), encapsulationSourcePort(buffer, offset),
                encapsulationDestinationPort(buffer, offset), byteLimit(buffer, offset), sourceRanges(buffer, offset),
                destinationRanges(buffer, offset));
    }
}
