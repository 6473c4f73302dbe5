package io.isthmus.fastpath.flow;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import io.isthmus.fastpath.packet.Checksums;
import io.isthmus.fastpath.packet.EspFlyweight;
import io.isthmus.fastpath.packet.Ipv4Flyweight;
import io.isthmus.fastpath.packet.PacketParser;

/**
 * ESP in tunnel mode (RFC 4303) with AES-GCM (RFC 4106), in Java: this runs where the kernel has no IPsec. One per
 * worker: it owns one encrypting and one decrypting {@link Cipher} and the scratch arrays they work in.
 * <p>
 * Encrypting replaces the parsed IPv4 packet by {@code outer IPv4 (protocol 50) | SPI | sequence | IV | ciphertext of
 * (inner packet, padding 1, 2, 3.. to a 4-byte boundary, pad length, next header 4) | ICV (16)}; the nonce is the SA's
 * salt and the 8-byte IV, which is the 64-bit sequence number; the AAD is SPI and sequence (RFC 4106 §5). The outer
 * header copies the inner TOS and DF bit, TTL 64. Decrypting checks SPI and the replay window, authenticates and
 * decrypts, checks the trailer, and puts the inner packet where the outer one was. The VXLAN and Ethernet headers in
 * front stay.
 * <p>
 * Allocation: javax.crypto offers no way to re-key a GCM cipher with a new nonce without a new
 * {@link GCMParameterSpec} (two small objects per packet), and {@code Cipher.init} may allocate a little inside the
 * JDK; a packet that fails authentication costs an {@link AEADBadTagException}. Everything else is preallocated.
 */
public final class EspProcessor {

    /** The packet was dropped: see {@link #lastError()}. */
    public static final int FAILED = -1;

    public enum Error {
        NONE, NO_SUCH_SA, WRONG_SPI, REPLAYED, AUTHENTICATION_FAILED, BAD_TRAILER, TRUNCATED, NO_ROOM, SEQUENCE_EXHAUSTED, CRYPTO
    }

    /** Outer IPv4 header, ESP header, IV, trailer and ICV: the most a packet grows by, plus up to 3 pad bytes. */
    public static final int OVERHEAD = Ipv4Flyweight.MIN_HEADER_LENGTH + EspFlyweight.PAYLOAD_OFFSET
            + EspFlyweight.TRAILER_LENGTH + EspFlyweight.ICV_LENGTH;
    private static final int MAX_IPV4_LENGTH = 0xFFFF;
    private static final int TAG_BITS = EspFlyweight.ICV_LENGTH * 8;
    private static final int OUTER_TTL = 64;

    private final SecurityAssociationTable sas;
    private final Cipher encryptor;
    private final Cipher decryptor;
    private final byte[] in = new byte[MAX_IPV4_LENGTH + 4];
    private final byte[] out = new byte[MAX_IPV4_LENGTH + 4 + EspFlyweight.ICV_LENGTH];
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[8];
    private final Ipv4Flyweight outer = new Ipv4Flyweight();
    private final EspFlyweight esp = new EspFlyweight();
    private int identification;
    private Error lastError = Error.NONE;

    public EspProcessor(SecurityAssociationTable sas) {
        this.sas = sas;
        try {
            this.encryptor = Cipher.getInstance("AES/GCM/NoPadding");
            this.decryptor = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM/NoPadding", e);
        }
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
        int outerLength = Ipv4Flyweight.MIN_HEADER_LENGTH + EspFlyweight.PAYLOAD_OFFSET + plainLength
                + EspFlyweight.ICV_LENGTH;
        if (outerLength > MAX_IPV4_LENGTH || ip + outerLength > buffer.capacity()) {
            return fail(Error.NO_ROOM);
        }
        long sequence = sas.nextSequence(sa);
        if (sequence > SecurityAssociationTable.MAX_SEQUENCE) {
            return fail(Error.SEQUENCE_EXHAUSTED);
        }
        int tos = inner.tos();
        int dontFragment = inner.flagsAndFragmentOffset() & Ipv4Flyweight.FLAG_DONT_FRAGMENT;
        buffer.get(ip, in, 0, innerLength);
        for (int i = 1; i <= padLength; i++) {
            in[innerLength + i - 1] = (byte) i;
        }
        in[innerLength + padLength] = (byte) padLength;
        in[innerLength + padLength + 1] = (byte) EspFlyweight.NEXT_HEADER_IPV4;
        int spi = sas.spi(sa);
        nonceAndAad(sas.salt(sa), sequence, spi, (int) sequence);
        int sealed;
        try {
            encryptor.init(Cipher.ENCRYPT_MODE, sas.key(sa), new GCMParameterSpec(TAG_BITS, nonce));
            encryptor.updateAAD(aad, 0, aad.length);
            sealed = encryptor.doFinal(in, 0, plainLength, out, 0);
        } catch (GeneralSecurityException e) {
            return fail(Error.CRYPTO);
        }
        outer.wrap(buffer, ip).versionAndIhl(4, 5).tos(tos).totalLength(outerLength)
                .identification(dontFragment != 0 ? 0 : (++identification & 0xFFFF))
                .flagsAndFragmentOffset(dontFragment).ttl(OUTER_TTL).protocol(PacketParser.PROTOCOL_ESP)
                .srcAddress(sas.tunnelSource(sa)).dstAddress(sas.tunnelDestination(sa));
        outer.checksum(Checksums.ipv4HeaderChecksum(buffer, ip, Ipv4Flyweight.MIN_HEADER_LENGTH));
        int espOffset = ip + Ipv4Flyweight.MIN_HEADER_LENGTH;
        esp.wrap(buffer, espOffset).spi(spi).sequenceNumber((int) sequence).iv(sequence);
        buffer.put(espOffset + EspFlyweight.PAYLOAD_OFFSET, out, 0, sealed);
        lastError = Error.NONE;
        return ip - packet.packetOffset() + outerLength;
    }

    /**
     * Authenticates and decrypts the ESP packet {@code packet} last parsed with inbound SA {@code sa}; returns the new
     * length of the whole packet (from the VXLAN header, the inner IPv4 packet in place of the outer) or
     * {@link #FAILED}.
     */
    public int decrypt(int sa, PacketParser packet) {
        if (!sas.isInbound(sa)) {
            return fail(Error.NO_SUCH_SA);
        }
        if (packet.protocol() != PacketParser.PROTOCOL_ESP) {
            return fail(Error.TRUNCATED);
        }
        ByteBuffer buffer = packet.buffer();
        int espOffset = packet.l4Offset();
        int sealedLength = packet.l4Length() - EspFlyweight.PAYLOAD_OFFSET;
        if (sealedLength < EspFlyweight.TRAILER_LENGTH + EspFlyweight.ICV_LENGTH) {
            return fail(Error.TRUNCATED);
        }
        EspFlyweight header = packet.esp();
        int spi = header.spi();
        if (spi != sas.spi(sa)) {
            return fail(Error.WRONG_SPI);
        }
        long sequence = header.sequenceNumber() & 0xFFFF_FFFFL;
        if (!sas.replayCheck(sa, sequence)) {
            return fail(Error.REPLAYED);
        }
        nonceAndAad(sas.salt(sa), header.iv(), spi, (int) sequence);
        buffer.get(espOffset + EspFlyweight.PAYLOAD_OFFSET, in, 0, sealedLength);
        int plainLength;
        try {
            decryptor.init(Cipher.DECRYPT_MODE, sas.key(sa), new GCMParameterSpec(TAG_BITS, nonce));
            decryptor.updateAAD(aad, 0, aad.length);
            plainLength = decryptor.doFinal(in, 0, sealedLength, out, 0);
        } catch (AEADBadTagException e) {
            return fail(Error.AUTHENTICATION_FAILED);
        } catch (GeneralSecurityException e) {
            return fail(Error.CRYPTO);
        }
        sas.replayAccept(sa, sequence);
        int padLength = out[plainLength - 2] & 0xFF;
        int nextHeader = out[plainLength - 1] & 0xFF;
        int innerLength = plainLength - EspFlyweight.TRAILER_LENGTH - padLength;
        if (nextHeader != EspFlyweight.NEXT_HEADER_IPV4 || innerLength < Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return fail(Error.BAD_TRAILER);
        }
        for (int i = 1; i <= padLength; i++) {
            if (out[innerLength + i - 1] != (byte) i) {
                return fail(Error.BAD_TRAILER);
            }
        }
        int ip = packet.ipOffset();
        buffer.put(ip, out, 0, innerLength);
        lastError = Error.NONE;
        return ip - packet.packetOffset() + innerLength;
    }

    private void nonceAndAad(int salt, long iv, int spi, int sequence) {
        putInt(nonce, 0, salt);
        putInt(nonce, 4, (int) (iv >>> 32));
        putInt(nonce, 8, (int) iv);
        putInt(aad, 0, spi);
        putInt(aad, 4, sequence);
    }

    private static void putInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    private int fail(Error error) {
        lastError = error;
        return FAILED;
    }
}
