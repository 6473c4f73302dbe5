package io.isthmus.fastpath.flow;

import java.nio.ByteBuffer;

import io.isthmus.fastpath.crypto.AesGcm;
import io.isthmus.fastpath.packet.Checksums;
import io.isthmus.fastpath.packet.EspFlyweight;
import io.isthmus.fastpath.packet.Ipv4Flyweight;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.packet.UdpFlyweight;

/**
 * ESP in tunnel mode (RFC 4303) with AES-GCM (RFC 4106), plain or in UDP (RFC 3948), over the SAs of a
 * {@link SecurityAssociationTable}, whose cipher contexts do the AES-GCM. One per worker.
 * <p>
 * Encrypting replaces the parsed IPv4 packet by {@code outer IPv4 (protocol 50, or 17 and a UDP header from and to the
 * SA's ports with checksum 0) | SPI | sequence (low 32 bits) | IV | ciphertext of (inner packet, padding 1, 2, 3.. to
 * a 4-byte boundary, pad length, next header 4) | ICV (16)}. The IV is the SA's 64-bit sequence counter, the nonce the
 * SA's salt and the IV (RFC 4106 §3.1, §4); the AAD is SPI and the 32-bit sequence number, or with ESN SPI, the high
 * and the low 32 bits (RFC 4106 §5). The outer header copies the inner TOS and DF bit, TTL 64.
 * <p>
 * Decrypting takes the ESP after the UDP header of an ESP-in-UDP packet, or the IPv4 payload of protocol 50; a UDP
 * payload that starts with the 4-byte zero non-ESP marker is IKE ({@link #NON_ESP}: the caller punts it), a one-byte
 * 0xFF payload a NAT keepalive ({@link #NAT_KEEPALIVE}: the caller drops and counts it). It finds the inbound SA by
 * the packet's SPI, infers the high sequence bits (ESN), checks the replay window, authenticates and decrypts, checks
 * the trailer (padding bytes 1, 2, 3..., next header 4), the byte limit, and only then records the sequence number in
 * the window; then the inner source and destination must be within the SA's traffic selectors (RFC 4301 §5.2 step 4,
 * {@link Error#SELECTOR_MISMATCH} otherwise), and the inner packet takes the outer one's place. The VXLAN and Ethernet headers in front stay.
 */
public final class EspProcessor {

    /** The packet was dropped: see {@link #lastError()}. */
    public static final int FAILED = -1;
    /** A UDP payload with the non-ESP marker: IKE, for the slowpath (the packet is untouched). */
    public static final int NON_ESP = -2;
    /** A NAT keepalive (RFC 3948 §2.3): drop it. */
    public static final int NAT_KEEPALIVE = -3;

    public enum Error {
        NONE, NO_SUCH_SA, WRONG_SPI, REPLAYED, AUTHENTICATION_FAILED, BAD_TRAILER, TRUNCATED, NO_ROOM, SEQUENCE_EXHAUSTED, CRYPTO, BYTE_LIMIT, WRONG_ENCAPSULATION,
        /** The decrypted packet's addresses are outside the SA's traffic selectors (RFC 4301 §5.2 step 4). */
        SELECTOR_MISMATCH
    }

    /**
     * Outer IPv4 header, UDP header, ESP header, IV, trailer and ICV: the most a packet grows by, plus up to 3 pad
     * bytes.
     */
    public static final int OVERHEAD = Ipv4Flyweight.MIN_HEADER_LENGTH + UdpFlyweight.HEADER_LENGTH
            + EspFlyweight.PAYLOAD_OFFSET + EspFlyweight.TRAILER_LENGTH + EspFlyweight.ICV_LENGTH;
    private static final int MAX_IPV4_LENGTH = 0xFFFF;
    private static final int OUTER_TTL = 64;

    private final SecurityAssociationTable sas;
    private final Ipv4Flyweight outer = new Ipv4Flyweight();
    private final UdpFlyweight udp = new UdpFlyweight();
    private final EspFlyweight esp = new EspFlyweight();
    private int identification;
    private Error lastError = Error.NONE;

    public EspProcessor(SecurityAssociationTable sas) {
        this.sas = sas;
    }

    /** Why the last {@link #FAILED} happened. */
    public Error lastError() {
        return lastError;
    }

    /**
     * Encrypts the IPv4 packet {@code packet} last parsed with outbound SA {@code sa}; returns the new length of the
     * whole packet (from the VXLAN header) or {@link #FAILED}.
     */
    public int encrypt(int sa, PacketParser packet) {
        if (!sas.isOutbound(sa)) {
            return fail(Error.NO_SUCH_SA);
        }
        ByteBuffer buffer = packet.buffer();
        Ipv4Flyweight inner = packet.ipv4();
        int ip = inner.offset();
        int innerLength = inner.totalLength();
        int padLength = (4 - ((innerLength + EspFlyweight.TRAILER_LENGTH) & 3)) & 3;
        int plainLength = innerLength + padLength + EspFlyweight.TRAILER_LENGTH;
        int udpPort = sas.encapsulationDestinationPort(sa);
        int espOffset = ip + Ipv4Flyweight.MIN_HEADER_LENGTH + (udpPort != 0 ? UdpFlyweight.HEADER_LENGTH : 0);
        int outerLength = espOffset - ip + EspFlyweight.PAYLOAD_OFFSET + plainLength + EspFlyweight.ICV_LENGTH;
        if (outerLength > MAX_IPV4_LENGTH || ip + outerLength > buffer.capacity()) {
            return dropOther(sa, Error.NO_ROOM);
        }
        if (sas.exceedsByteLimit(sa, innerLength)) {
            return dropOther(sa, Error.BYTE_LIMIT);
        }
        long sequence = sas.nextSequence(sa);
        if (sequence == SecurityAssociationTable.EXHAUSTED) {
            return dropOther(sa, Error.SEQUENCE_EXHAUSTED);
        }
        int tos = inner.tos();
        int dontFragment = inner.flagsAndFragmentOffset() & Ipv4Flyweight.FLAG_DONT_FRAGMENT;
        int trailer = ip + innerLength;
        for (int i = 1; i <= padLength; i++) {
            buffer.put(trailer + i - 1, (byte) i);
        }
        buffer.put(trailer + padLength, (byte) padLength);
        buffer.put(trailer + padLength + 1, (byte) EspFlyweight.NEXT_HEADER_IPV4);
        int spi = sas.spi(sa);
        int low = (int) sequence;
        if (sas.esn(sa)) {
            sas.context(sa).seal(buffer, ip, plainLength, espOffset + EspFlyweight.PAYLOAD_OFFSET, sequence, spi,
                    (int) (sequence >>> 32), low, 12);
        } else {
            sas.context(sa).seal(buffer, ip, plainLength, espOffset + EspFlyweight.PAYLOAD_OFFSET, sequence, spi,
                    low, 0, 8);
        }
        outer.wrap(buffer, ip).versionAndIhl(4, 5).tos(tos).totalLength(outerLength)
                .identification(dontFragment != 0 ? 0 : (++identification & 0xFFFF))
                .flagsAndFragmentOffset(dontFragment).ttl(OUTER_TTL)
                .protocol(udpPort != 0 ? Ipv4Flyweight.PROTOCOL_UDP : PacketParser.PROTOCOL_ESP)
                .srcAddress(sas.tunnelSource(sa)).dstAddress(sas.tunnelDestination(sa));
        outer.checksum(Checksums.ipv4HeaderChecksum(buffer, ip, Ipv4Flyweight.MIN_HEADER_LENGTH));
        if (udpPort != 0) {
            udp.wrap(buffer, ip + Ipv4Flyweight.MIN_HEADER_LENGTH).srcPort(sas.encapsulationSourcePort(sa))
                    .dstPort(udpPort).length(outerLength - Ipv4Flyweight.MIN_HEADER_LENGTH).checksum(0);
        }
        esp.wrap(buffer, espOffset).spi(spi).sequenceNumber(low).iv(sequence);
        sas.countPacket(sa, innerLength);
        lastError = Error.NONE;
        return ip - packet.packetOffset() + outerLength;
    }

    /**
     * Authenticates and decrypts the ESP packet {@code packet} last parsed (plain, or in UDP) with the inbound SA of
     * its SPI (a rule names {@code sa}, the SA it was installed for; during a rekey the packet may carry the other's
     * SPI); returns the new length of the whole packet (from the VXLAN header, the inner IPv4 packet in place of the
     * outer), {@link #FAILED}, {@link #NON_ESP} or {@link #NAT_KEEPALIVE}.
     */
    public int decrypt(int sa, PacketParser packet) {
        ByteBuffer buffer = packet.buffer();
        int espOffset;
        int espLength;
        int udpPort;
        if (packet.protocol() == Ipv4Flyweight.PROTOCOL_UDP) {
            espOffset = packet.l4Offset() + UdpFlyweight.HEADER_LENGTH;
            espLength = packet.udp().length() - UdpFlyweight.HEADER_LENGTH;
            udpPort = packet.udp().dstPort();
            if (espLength == 1 && buffer.get(espOffset) == (byte) 0xFF) {
                return NAT_KEEPALIVE;
            }
            if (espLength >= 4 && buffer.getInt(espOffset) == 0) {
                return NON_ESP;
            }
        } else if (packet.protocol() == PacketParser.PROTOCOL_ESP) {
            espOffset = packet.l4Offset();
            espLength = packet.l4Length();
            udpPort = 0;
        } else {
            return fail(Error.WRONG_ENCAPSULATION);
        }
        if (espLength < EspFlyweight.HEADER_LENGTH) {
            return fail(Error.TRUNCATED);
        }
        int spi = buffer.getInt(espOffset + EspFlyweight.SPI_OFFSET);
        int slot = sas.slotOfSpi(spi);
        if (slot == SecurityAssociationTable.MISSING) {
            return fail(sas.isInbound(sa) ? Error.WRONG_SPI : Error.NO_SUCH_SA);
        }
        if (udpPort != sas.encapsulationDestinationPort(slot)) {
            return dropOther(slot, Error.WRONG_ENCAPSULATION);
        }
        int cipherLength = espLength - EspFlyweight.PAYLOAD_OFFSET - EspFlyweight.ICV_LENGTH;
        if (cipherLength < Ipv4Flyweight.MIN_HEADER_LENGTH + EspFlyweight.TRAILER_LENGTH) {
            return dropOther(slot, Error.TRUNCATED);
        }
        int low = buffer.getInt(espOffset + EspFlyweight.SEQUENCE_OFFSET);
        long sequence = sas.inferSequence(slot, low);
        if (!sas.replayCheck(slot, sequence)) {
            sas.countReplay(slot);
            return fail(Error.REPLAYED);
        }
        long iv = buffer.getLong(espOffset + EspFlyweight.IV_OFFSET);
        int ip = packet.ipOffset();
        int source = espOffset + EspFlyweight.PAYLOAD_OFFSET;
        boolean verified = sas.esn(slot)
                ? sas.context(slot).open(buffer, source, cipherLength, ip, iv, spi, (int) (sequence >>> 32), low, 12)
                : sas.context(slot).open(buffer, source, cipherLength, ip, iv, spi, low, 0, 8);
        if (!verified) {
            sas.countAuthFailure(slot);
            return fail(Error.AUTHENTICATION_FAILED);
        }
        int padLength = buffer.get(ip + cipherLength - 2) & 0xFF;
        int nextHeader = buffer.get(ip + cipherLength - 1) & 0xFF;
        int innerLength = cipherLength - EspFlyweight.TRAILER_LENGTH - padLength;
        if (nextHeader != EspFlyweight.NEXT_HEADER_IPV4 || innerLength < Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return dropOther(slot, Error.BAD_TRAILER);
        }
        for (int i = 1; i <= padLength; i++) {
            if (buffer.get(ip + innerLength + i - 1) != (byte) i) {
                return dropOther(slot, Error.BAD_TRAILER);
            }
        }
        if (sas.exceedsByteLimit(slot, innerLength)) {
            return dropOther(slot, Error.BYTE_LIMIT);
        }
        sas.replayAccept(slot, sequence);
        // RFC 4301 §5.2 step 4: after ESP processing (the packet was authentic: its sequence number stays used)
        if (!sas.selectorsAllow(slot, buffer.getInt(ip + Ipv4Flyweight.SRC_ADDRESS_OFFSET),
                buffer.getInt(ip + Ipv4Flyweight.DST_ADDRESS_OFFSET))) {
            return dropOther(slot, Error.SELECTOR_MISMATCH);
        }
        sas.countPacket(slot, innerLength);
        lastError = Error.NONE;
        return ip - packet.packetOffset() + innerLength;
    }

    private int dropOther(int sa, Error error) {
        sas.countOtherDrop(sa);
        return fail(error);
    }

    private int fail(Error error) {
        lastError = error;
        return FAILED;
    }

    /** The AES-GCM this processor's SAs use (for logs and benchmarks). */
    public String cryptoName() {
        String name = sas.cryptoName();
        return name == null ? AesGcm.best().name() : name;
    }
}
