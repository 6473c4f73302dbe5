package io.isthmus.control;

import java.util.Arrays;
import java.util.List;

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
 * @param sourceRanges inbound: the inner source addresses the SA lets in (RFC 4301 §5.2 step 4: its traffic
 *        selectors); a decrypted packet whose source is in none of them is dropped and counted; empty: any (at most
 *        {@link #MAX_SELECTOR_RANGES}; empty for outbound)
 * @param destinationRanges inbound: the inner destination addresses the SA lets in, likewise
 */
public record SecurityAssociation(int index, int spi, Direction direction, byte[] keyMaterial, int tunnelSource,
        int tunnelDestination, boolean esn, int replayWindow, int encapsulationSourcePort,
        int encapsulationDestinationPort, long byteLimit, List<AddressRange> sourceRanges,
        List<AddressRange> destinationRanges) {

    /** The anti-replay window of an inbound SA whose {@link #replayWindow()} is 0. */
    public static final int DEFAULT_REPLAY_WINDOW = 1024;
    /** The largest anti-replay window a fastpath keeps (a bitmap of 4 KiB). */
    public static final int MAX_REPLAY_WINDOW = 32_768;
    /** The most source (and the most destination) ranges an SA's selectors have. */
    public static final int MAX_SELECTOR_RANGES = 64;

    /**
     * An inclusive range of IPv4 addresses, {@code start} to {@code end} compared unsigned (IKEv2's
     * TS_IPV4_ADDR_RANGE, RFC 7296 §3.13.1).
     */
    public record AddressRange(int start, int end) {

        public AddressRange {
            if (Integer.compareUnsigned(start, end) > 0) {
                throw new IllegalArgumentException(
                        "an address range ends at or after its start: " + Ipv4Addresses.format(start) + "-"
                                + Ipv4Addresses.format(end));
            }
        }

        /** Every address of a prefix. */
        public static AddressRange prefix(int address, int prefixLength) {
            int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
            return new AddressRange(address & mask, (address & mask) | ~mask);
        }

        public boolean contains(int address) {
            return Integer.compareUnsigned(address, start) >= 0 && Integer.compareUnsigned(address, end) <= 0;
        }

        @Override
        public String toString() {
            return Ipv4Addresses.format(start) + "-" + Ipv4Addresses.format(end);
        }
    }

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
        sourceRanges = sourceRanges == null ? List.of() : List.copyOf(sourceRanges);
        destinationRanges = destinationRanges == null ? List.of() : List.copyOf(destinationRanges);
        if (sourceRanges.size() > MAX_SELECTOR_RANGES || destinationRanges.size() > MAX_SELECTOR_RANGES) {
            throw new IllegalArgumentException("an SA's selectors have at most " + MAX_SELECTOR_RANGES
                    + " source and " + MAX_SELECTOR_RANGES + " destination ranges: " + sourceRanges.size() + ", "
                    + destinationRanges.size());
        }
        if (direction == Direction.OUTBOUND && (!sourceRanges.isEmpty() || !destinationRanges.isEmpty())) {
            throw new IllegalArgumentException("only an inbound SA checks selectors");
        }
        keyMaterial = keyMaterial.clone();
    }

    /** An SA without selectors: it lets in whatever it decrypts. */
    public SecurityAssociation(int index, int spi, Direction direction, byte[] keyMaterial, int tunnelSource,
            int tunnelDestination, boolean esn, int replayWindow, int encapsulationSourcePort,
            int encapsulationDestinationPort, long byteLimit) {
        this(index, spi, direction, keyMaterial, tunnelSource, tunnelDestination, esn, replayWindow,
                encapsulationSourcePort, encapsulationDestinationPort, byteLimit, List.of(), List.of());
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
                byteLimit, sourceRanges,
                destinationRanges);
    }

    public SecurityAssociation withReplayWindow(int packets) {
        return new SecurityAssociation(index, spi, direction, keyMaterial, tunnelSource, tunnelDestination, esn,
                packets, encapsulationSourcePort, encapsulationDestinationPort, byteLimit, sourceRanges,
                destinationRanges);
    }

    /** ESP in UDP (RFC 3948) from {@code sourcePort} to {@code destinationPort}; (0, 0) for plain ESP. */
    public SecurityAssociation withUdpEncapsulation(int sourcePort, int destinationPort) {
        return new SecurityAssociation(index, spi, direction, keyMaterial, tunnelSource, tunnelDestination, esn,
                replayWindow, sourcePort, destinationPort, byteLimit, sourceRanges,
                destinationRanges);
    }

    public SecurityAssociation withByteLimit(long bytes) {
        return new SecurityAssociation(index, spi, direction, keyMaterial, tunnelSource, tunnelDestination, esn,
                replayWindow, encapsulationSourcePort, encapsulationDestinationPort, bytes, sourceRanges,
                destinationRanges);
    }

    /**
     * Inbound: lets in only decrypted packets from an address in {@code sources} to one in {@code destinations}
     * (RFC 4301 §5.2 step 4; empty: any).
     */
    public SecurityAssociation withSelectors(List<AddressRange> sources, List<AddressRange> destinations) {
        return new SecurityAssociation(index, spi, direction, keyMaterial, tunnelSource, tunnelDestination, esn,
                replayWindow, encapsulationSourcePort, encapsulationDestinationPort, byteLimit, sources,
                destinations);
    }

    /** Whether the SA checks its decrypted packets' addresses. */
    public boolean hasSelectors() {
        return !sourceRanges.isEmpty() || !destinationRanges.isEmpty();
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
     * UDP encapsulation, a byte limit or selectors. One that does not is understood by every fastpath with INSTALL_SA.
     */
    public boolean needsExtendedInstall() {
        return esn || replayWindow != 0 || encapsulationDestinationPort != 0 || byteLimit != 0 || hasSelectors();
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
                && encapsulationDestinationPort == that.encapsulationDestinationPort && byteLimit == that.byteLimit
                && sourceRanges.equals(that.sourceRanges) && destinationRanges.equals(that.destinationRanges);
    }

    @Override
    public int hashCode() {
        int hash = (((index * 31 + spi) * 31 + direction.hashCode()) * 31 + Arrays.hashCode(keyMaterial)) * 31
                + tunnelSource * 17 + tunnelDestination;
        hash = hash * 31 + (esn ? 1 : 0);
        hash = hash * 31 + replayWindow;
        hash = hash * 31 + (encapsulationSourcePort << 16 | encapsulationDestinationPort);
        hash = hash * 31 + Long.hashCode(byteLimit);
        return (hash * 31 + sourceRanges.hashCode()) * 31 + destinationRanges.hashCode();
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
        if (hasSelectors()) {
            text.append(" selectors ").append(sourceRanges.isEmpty() ? "any" : sourceRanges).append(" -> ")
                    .append(destinationRanges.isEmpty() ? "any" : destinationRanges);
        }
        return text.toString();
    }
}
