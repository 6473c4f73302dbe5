package io.isthmus.fastpath.testing;

import static io.isthmus.fastpath.testing.ReferencePackets.internetChecksum;
import static io.isthmus.fastpath.testing.ReferencePackets.put16;
import static io.isthmus.fastpath.testing.ReferencePackets.put32;
import static io.isthmus.fastpath.testing.ReferencePackets.put64;
import static io.isthmus.fastpath.testing.ReferencePackets.u16;
import static io.isthmus.fastpath.testing.ReferencePackets.u32;
import static io.isthmus.fastpath.testing.ReferencePackets.u8;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ESP tunnel mode with AES-GCM (RFC 4303, RFC 4106) written from the RFCs, independently of the code under test:
 * byte arrays, a fresh Cipher per call. Tests seal with it and open what the data plane sealed, and the other way.
 * It knows extended sequence numbers (RFC 4303 §2.2.1: only the low 32 bits are sent, the AAD is SPI, high and low
 * bits, RFC 4106 §5) and UDP encapsulation (RFC 3948: a UDP header between the outer IPv4 header and the ESP header,
 * checksum 0).
 */
public final class ReferenceEsp {

    private ReferenceEsp() {
    }

    /** An opened ESP packet; {@code udpSrcPort} and {@code udpDstPort} are -1 for plain ESP. */
    public record Opened(int spi, long sequence, long iv, int padLength, int nextHeader, byte[] inner, int outerTtl,
            int outerSrc, int outerDst, boolean outerChecksumValid, int outerProtocol, int udpSrcPort, int udpDstPort,
            int udpChecksum, boolean paddingValid) {
    }

    /**
     * How to seal: {@code sequence} the full (64-bit with ESN) sequence number, {@code esn} whether its high half goes
     * into the AAD, {@code udpSrcPort}/{@code udpDstPort} 0 for plain ESP; {@code badPadding} writes padding bytes
     * that are not 1, 2, 3..., {@code nextHeader} the trailer's next header.
     */
    public record Seal(int spi, long sequence, long iv, boolean esn, int udpSrcPort, int udpDstPort,
            boolean badPadding, int nextHeader) {

        public static Seal of(int spi, long sequence) {
            return new Seal(spi, sequence, sequence, false, 0, 0, false, 4);
        }

        public Seal withEsn() {
            return new Seal(spi, sequence, iv, true, udpSrcPort, udpDstPort, badPadding, nextHeader);
        }

        public Seal inUdp(int srcPort, int dstPort) {
            return new Seal(spi, sequence, iv, esn, srcPort, dstPort, badPadding, nextHeader);
        }

        public Seal withBadPadding() {
            return new Seal(spi, sequence, iv, esn, udpSrcPort, udpDstPort, true, nextHeader);
        }
    }

    /** Seals {@code inner} (an IPv4 packet) into outer IPv4 + ESP, with {@code iv} as the explicit IV. */
    public static byte[] seal(byte[] inner, int spi, long sequence, long iv, byte[] keyMaterial, int outerSrc,
            int outerDst) throws GeneralSecurityException {
        return seal(inner, new Seal(spi, sequence, iv, false, 0, 0, false, 4), keyMaterial, outerSrc, outerDst);
    }

    /** Seals {@code inner} as {@code how} says. */
    public static byte[] seal(byte[] inner, Seal how, byte[] keyMaterial, int outerSrc, int outerDst)
            throws GeneralSecurityException {
        int pad = (4 - ((inner.length + 2) % 4)) % 4;
        if (how.badPadding() && pad == 0) {
            pad = 4;
        }
        byte[] plain = new byte[inner.length + pad + 2];
        System.arraycopy(inner, 0, plain, 0, inner.length);
        for (int i = 0; i < pad; i++) {
            plain[inner.length + i] = (byte) (how.badPadding() ? 0 : i + 1);
        }
        plain[plain.length - 2] = (byte) pad;
        plain[plain.length - 1] = (byte) how.nextHeader();
        byte[] aad = aad(how.spi(), how.sequence(), how.esn());
        Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keyMaterial, how.iv());
        cipher.updateAAD(aad);
        byte[] sealed = cipher.doFinal(plain);
        int udp = how.udpDstPort() != 0 ? 8 : 0;
        int esp = 20 + udp;
        byte[] out = new byte[esp + 16 + sealed.length];
        out[0] = 0x45;
        put16(out, 2, out.length);
        put16(out, 6, 0x4000);
        out[8] = 64;
        out[9] = (byte) (udp != 0 ? 17 : 50);
        put32(out, 12, outerSrc);
        put32(out, 16, outerDst);
        put16(out, 10, internetChecksum(out, 0, 20));
        if (udp != 0) {
            put16(out, 20, how.udpSrcPort());
            put16(out, 22, how.udpDstPort());
            put16(out, 24, out.length - 20);
            // checksum 0: RFC 3948 §2.1 says the sender should send it zero
        }
        put32(out, esp, how.spi());
        put32(out, esp + 4, (int) how.sequence());
        put64(out, esp + 8, how.iv());
        System.arraycopy(sealed, 0, out, esp + 16, sealed.length);
        return out;
    }

    /** Opens an outer IPv4 + ESP packet without ESN; throws if it does not authenticate. */
    public static Opened open(byte[] outer, byte[] keyMaterial) throws GeneralSecurityException {
        return open(outer, keyMaterial, false, 0);
    }

    /**
     * Opens an outer IPv4 + ESP (or + UDP + ESP) packet; with {@code esn}, {@code sequenceHigh} is the high half the
     * receiver expects. Throws if it does not authenticate.
     */
    public static Opened open(byte[] outer, byte[] keyMaterial, boolean esn, long sequenceHigh)
            throws GeneralSecurityException {
        int ihl = (u8(outer, 0) & 0x0F) * 4;
        int total = u16(outer, 2);
        byte[] header = Arrays.copyOfRange(outer, 0, ihl);
        int storedChecksum = u16(header, 10);
        header[10] = 0;
        header[11] = 0;
        boolean checksumValid = storedChecksum == internetChecksum(header, 0, ihl);
        int protocol = u8(outer, 9);
        int esp = protocol == 17 ? ihl + 8 : ihl;
        int spi = u32(outer, esp);
        long low = u32(outer, esp + 4) & 0xFFFF_FFFFL;
        long sequence = esn ? (sequenceHigh << 32) | low : low;
        long iv = ((long) u32(outer, esp + 8) << 32) | (u32(outer, esp + 12) & 0xFFFF_FFFFL);
        Cipher cipher = cipher(Cipher.DECRYPT_MODE, keyMaterial, iv);
        cipher.updateAAD(aad(spi, sequence, esn));
        byte[] plain = cipher.doFinal(outer, esp + 16, total - esp - 16);
        int pad = u8(plain, plain.length - 2);
        int next = u8(plain, plain.length - 1);
        int innerLength = plain.length - 2 - pad;
        boolean paddingValid = true;
        for (int i = 0; i < pad; i++) {
            paddingValid &= u8(plain, innerLength + i) == i + 1;
        }
        byte[] inner = Arrays.copyOfRange(plain, 0, innerLength);
        return new Opened(spi, sequence, iv, pad, next, inner, u8(outer, 8), u32(outer, 12), u32(outer, 16),
                checksumValid, protocol, protocol == 17 ? u16(outer, ihl) : -1,
                protocol == 17 ? u16(outer, ihl + 2) : -1, protocol == 17 ? u16(outer, ihl + 6) : -1, paddingValid);
    }

    /** RFC 4106 §5: SPI and 32-bit sequence number, or SPI, high and low halves of the 64-bit one. */
    private static byte[] aad(int spi, long sequence, boolean esn) {
        byte[] aad = new byte[esn ? 12 : 8];
        put32(aad, 0, spi);
        if (esn) {
            put32(aad, 4, (int) (sequence >>> 32));
            put32(aad, 8, (int) sequence);
        } else {
            put32(aad, 4, (int) sequence);
        }
        return aad;
    }

    private static Cipher cipher(int mode, byte[] keyMaterial, long iv) throws GeneralSecurityException {
        int keyLength = keyMaterial.length - 4;
        byte[] nonce = new byte[12];
        System.arraycopy(keyMaterial, keyLength, nonce, 0, 4);
        put64(nonce, 4, iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(keyMaterial, 0, keyLength, "AES"), new GCMParameterSpec(128, nonce));
        return cipher;
    }
}
