package io.isthmus.control;

import java.util.Arrays;

/**
 * An ESP security association as the slowpath installs it in a fastpath's SA table (INSTALL_SA): tunnel mode
 * (RFC 4303) with AES-GCM and a 16-byte ICV (RFC 4106). Rules name it by {@code index} in their ESP_ENCRYPT and
 * ESP_DECRYPT actions; ESP_DECRYPT finds the inbound SA by the SPI the packet carries, so one rule serves the old and
 * the new SA of a rekey.
 *
 * @param index the slot in the fastpath's SA table
 * @param spi the security parameter index (256 and above; 0..255 are reserved)
 * @param direction outbound SAs encrypt, inbound ones decrypt and check replay
 * @param keyMaterial the AES key followed by the 4-byte salt (RFC 4106 §8.1: 20, 28 or 36 bytes)
 * @param tunnelSource the outer IPv4 source of encrypted packets (outbound; 0 for inbound)
 * @param tunnelDestination the outer IPv4 destination of encrypted packets (outbound; 0 for inbound)
 * @param esn extended (64-bit) sequence numbers (RFC 4303 §2.2.1): the high half is never sent, it is inferred on
 *        receipt and authenticated in the AAD (RFC 4106 §5)
 * @param replayWindow inbound: the anti-replay window in packets (RFC 4303 §3.4.3); 0 is
 *        {@link #DEFAULT_REPLAY_WINDOW}, at most {@link #MAX_REPLAY_WINDOW}; 0 for outbound
 * @param encapsulationSourcePort with {@code encapsulationDestinationPort} not 0: ESP in UDP (RFC 3948); outbound
 *        packets leave from this port, inbound ones come from it (the peer's, informative: NAT may change it)
 * @param encapsulationDestinationPort outbound packets go to this UDP port, inbound ones must arrive on it (0 with
 *        the source port 0: plain ESP, IP protocol 50)
 * @param byteLimit the hard lifetime in bytes (of the inner packets): a packet that would take the SA beyond it is
 *        dropped and counted; 0 for none
 */
public record SecurityAssociation(int index, int spi, Direction direction, byte[] keyMaterial, int tunnelSource,
        int tunnelDestination, boolean esn, int replayWindow, int encapsulationSourcePort,
        int encapsulationDestinationPort, long byteLimit) {

    /** The anti-replay window of an inbound SA whose {@link #replayWindow()} is 0. */
    public static final int DEFAULT_REPLAY_WINDOW = 1024;
    /** The largest anti-replay window a fastpath keeps (a bitmap of 4 KiB). */
    public static final int MAX_REPLAY_WINDOW = 32_768;

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
        if (replayWindow < 0 || replayWindow > MAX_REPLAY_WINDOW) {
            throw new IllegalArgumentException(
                    "the replay window is 0 (default) to " + MAX_REPLAY_WINDOW + " packets: " + replayWindow);
        }
        if (!isValidEncapsulation(encapsulationSourcePort, encapsulationDestinationPort)) {
            throw new IllegalArgumentException("UDP encapsulation takes two ports in 1..65535, or none: "
                    + encapsulationSourcePort + " -> " + encapsulationDestinationPort);
        }
        if (byteLimit < 0) {
            throw new IllegalArgumentException("the byte limit is not negative: " + byteLimit);
        }
        keyMaterial = keyMaterial.clone();
    }

    /** An SA of the first version: 32-bit sequence numbers, the default window, plain ESP, no byte limit. */
    public SecurityAssociation(int index, int spi, Direction direction, byte[] keyMaterial, int tunnelSource,
            int tunnelDestination) {
        this(index, spi, direction, keyMaterial, tunnelSource, tunnelDestination, false, 0, 0, 0, 0);
    }

    /** Whether {@code length} bytes are AES-128, -192 or -256 key material plus a 4-byte salt. */
    public static boolean isValidKeyMaterialLength(int length) {
        return length == 20 || length == 28 || length == 36;
    }

    /** Whether two UDP encapsulation ports are both 0 (plain ESP) or both ports. */
    public static boolean isValidEncapsulation(int sourcePort, int destinationPort) {
        return sourcePort == 0 && destinationPort == 0
                || sourcePort > 0 && sourcePort <= 0xFFFF && destinationPort > 0 && destinationPort <= 0xFFFF;
    }

    public static SecurityAssociation outbound(int index, int spi, byte[] keyMaterial, int tunnelSource,
            int tunnelDestination) {
        return new SecurityAssociation(index, spi, Direction.OUTBOUND, keyMaterial, tunnelSource, tunnelDestination);
    }

    public static SecurityAssociation inbound(int index, int spi, byte[] keyMaterial) {
        return new SecurityAssociation(index, spi, Direction.INBOUND, keyMaterial, 0, 0);
    }

    public SecurityAssociation withEsn(boolean extendedSequenceNumbers) {
        return new SecurityAssociation(index, spi, direction, keyMaterial, tunnelSource, tunnelDestination,
                extendedSequenceNumbers, replayWindow, encapsulationSourcePort, encapsulationDestinationPort,
                byteLimit);
    }

    public SecurityAssociation withReplayWindow(int packets) {
        return new SecurityAssociation(index, spi, direction, keyMaterial, tunnelSource, tunnelDestination, esn,
                packets, encapsulationSourcePort, encapsulationDestinationPort, byteLimit);
    }

    /** ESP in UDP (RFC 3948) from {@code sourcePort} to {@code destinationPort}; (0, 0) for plain ESP. */
    public SecurityAssociation withUdpEncapsulation(int sourcePort, int destinationPort) {
        return new SecurityAssociation(index, spi, direction, keyMaterial, tunnelSource, tunnelDestination, esn,
                replayWindow, sourcePort, destinationPort, byteLimit);
    }

    public SecurityAssociation withByteLimit(long bytes) {
        return new SecurityAssociation(index, spi, direction, keyMaterial, tunnelSource, tunnelDestination, esn,
                replayWindow, encapsulationSourcePort, encapsulationDestinationPort, bytes);
    }

    /** Whether the SA is ESP in UDP. */
    public boolean udpEncapsulated() {
        return encapsulationDestinationPort != 0;
    }

    /** The window a fastpath keeps: {@link #replayWindow()}, or the default for 0. */
    public int effectiveReplayWindow() {
        return replayWindow == 0 ? DEFAULT_REPLAY_WINDOW : replayWindow;
    }

    /**
     * Whether the SA needs a fastpath whose HELLO has {@code HelloFlyweight.ESP_EXTENDED}: ESN, a window of its own,
     * UDP encapsulation or a byte limit. One that does not is understood by every fastpath with INSTALL_SA.
     */
    public boolean needsExtendedInstall() {
        return esn || replayWindow != 0 || encapsulationDestinationPort != 0 || byteLimit != 0;
    }

    @Override
    public byte[] keyMaterial() {
        return keyMaterial.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecurityAssociation that && index == that.index && spi == that.spi
                && direction == that.direction && Arrays.equals(keyMaterial, that.keyMaterial)
                && tunnelSource == that.tunnelSource && tunnelDestination == that.tunnelDestination
                && esn == that.esn && replayWindow == that.replayWindow
                && encapsulationSourcePort == that.encapsulationSourcePort
                && encapsulationDestinationPort == that.encapsulationDestinationPort && byteLimit == that.byteLimit;
    }

    @Override
    public int hashCode() {
        int hash = (((index * 31 + spi) * 31 + direction.hashCode()) * 31 + Arrays.hashCode(keyMaterial)) * 31
                + tunnelSource * 17 + tunnelDestination;
        hash = hash * 31 + (esn ? 1 : 0);
        hash = hash * 31 + replayWindow;
        hash = hash * 31 + (encapsulationSourcePort << 16 | encapsulationDestinationPort);
        return hash * 31 + Long.hashCode(byteLimit);
    }

    /** Leaves the keys out. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("sa[").append(index).append("] spi=")
                .append(Integer.toUnsignedString(spi, 16)).append(' ').append(direction).append(' ')
                .append(Ipv4Addresses.format(tunnelSource)).append(" -> ")
                .append(Ipv4Addresses.format(tunnelDestination));
        if (esn) {
            text.append(" esn");
        }
        if (direction == Direction.INBOUND) {
            text.append(" window=").append(effectiveReplayWindow());
        }
        if (udpEncapsulated()) {
            text.append(" udp ").append(encapsulationSourcePort).append("->").append(encapsulationDestinationPort);
        }
        if (byteLimit != 0) {
            text.append(" byteLimit=").append(byteLimit);
        }
        return text.toString();
    }
}
