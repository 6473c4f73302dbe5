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
 */
public final class ReferenceEsp {

    private ReferenceEsp() {
    }

    /** An opened ESP packet. */
    public record Opened(int spi, long sequence, long iv, int padLength, int nextHeader, byte[] inner, int outerTtl,
            int outerSrc, int outerDst, boolean outerChecksumValid) {
    }

    /** Seals {@code inner} (an IPv4 packet) into outer IPv4 + ESP, with {@code iv} as the explicit IV. */
    public static byte[] seal(byte[] inner, int spi, long sequence, long iv, byte[] keyMaterial, int outerSrc,
            int outerDst) throws GeneralSecurityException {
        int pad = (4 - ((inner.length + 2) % 4)) % 4;
        byte[] plain = new byte[inner.length + pad + 2];
        System.arraycopy(inner, 0, plain, 0, inner.length);
        for (int i = 0; i < pad; i++) {
            plain[inner.length + i] = (byte) (i + 1);
        }
        plain[plain.length - 2] = (byte) pad;
        plain[plain.length - 1] = 4;
        byte[] aad = new byte[8];
        put32(aad, 0, spi);
        put32(aad, 4, (int) sequence);
        Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keyMaterial, iv);
        cipher.updateAAD(aad);
        byte[] sealed = cipher.doFinal(plain);
        byte[] out = new byte[20 + 16 + sealed.length];
        out[0] = 0x45;
        put16(out, 2, out.length);
        put16(out, 6, 0x4000);
        out[8] = 64;
        out[9] = 50;
        put32(out, 12, outerSrc);
        put32(out, 16, outerDst);
        put16(out, 10, internetChecksum(out, 0, 20));
        put32(out, 20, spi);
        put32(out, 24, (int) sequence);
        put64(out, 28, iv);
        System.arraycopy(sealed, 0, out, 36, sealed.length);
        return out;
    }

    /** Opens an outer IPv4 + ESP packet; throws if it does not authenticate. */
    public static Opened open(byte[] outer, byte[] keyMaterial) throws GeneralSecurityException {
        int ihl = (u8(outer, 0) & 0x0F) * 4;
        int total = u16(outer, 2);
        byte[] header = Arrays.copyOfRange(outer, 0, ihl);
        int storedChecksum = u16(header, 10);
        header[10] = 0;
        header[11] = 0;
        boolean checksumValid = storedChecksum == internetChecksum(header, 0, ihl);
        int spi = u32(outer, ihl);
        long sequence = u32(outer, ihl + 4) & 0xFFFF_FFFFL;
        long iv = ((long) u32(outer, ihl + 8) << 32) | (u32(outer, ihl + 12) & 0xFFFF_FFFFL);
        byte[] aad = Arrays.copyOfRange(outer, ihl, ihl + 8);
        Cipher cipher = cipher(Cipher.DECRYPT_MODE, keyMaterial, iv);
        cipher.updateAAD(aad);
        byte[] plain = cipher.doFinal(outer, ihl + 16, total - ihl - 16);
        int pad = u8(plain, plain.length - 2);
        int next = u8(plain, plain.length - 1);
        byte[] inner = Arrays.copyOfRange(plain, 0, plain.length - 2 - pad);
        return new Opened(spi, sequence, iv, pad, next, inner, u8(outer, 8), u32(outer, 12), u32(outer, 16),
                checksumValid);
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
