package io.isthmus.e2e;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An encoder and decoder of VXLAN / Ethernet / IPv4 / UDP frames written for the tests alone, independent of the
 * fastpath's flyweights, so that a test can judge the fastpath's bytes.
 */
public final class Frames {

    private Frames() {
    }

    /** What a test sends or receives: the VNI and the inner IPv4/UDP packet. */
    public record Packet(int vni, int srcIp, int srcPort, int dstIp, int dstPort, int ttl, byte[] payload,
            int ipChecksum, int udpChecksum) {
    }

    public static int ip(String dotted) {
        String[] p = dotted.split("\\.");
        return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8)
                | Integer.parseInt(p[3]);
    }

    public static String dotted(int ip) {
        return (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }

    /** VXLAN header (8) + Ethernet (14) + IPv4 (20) + UDP (8) + payload, every checksum computed in full. */
    public static byte[] vxlanUdp(int vni, int srcIp, int srcPort, int dstIp, int dstPort, byte[] payload) {
        int ipLen = 20 + 8 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(8 + 14 + ipLen).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0x08).put(new byte[3]).putInt(vni << 8);
        b.put(new byte[]{2, 0, 0, 0, 0, 2}).put(new byte[]{2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        int ipStart = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) 0x1234).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(srcIp).putInt(dstIp);
        b.putShort(ipStart + 10, (short) checksum(b.array(), ipStart, 20, 0));
        int udpStart = b.position();
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length))
                .putShort((short) 0).put(payload);
        int udp = udpChecksum(b.array(), udpStart, 8 + payload.length, srcIp, dstIp);
        b.putShort(udpStart + 6, (short) udp);
        return b.array();
    }

    public static Packet parse(byte[] frame, int length) {
        ByteBuffer b = ByteBuffer.wrap(frame, 0, length).order(ByteOrder.BIG_ENDIAN);
        int vni = b.getInt(4) >>> 8;
        int ipStart = 8 + 14;
        if (b.getShort(8 + 12) != 0x0800 || (b.get(ipStart) & 0xff) != 0x45 || b.get(ipStart + 9) != 17) {
            throw new IllegalArgumentException("not VXLAN/Ethernet/IPv4(no options)/UDP");
        }
        int ipLen = b.getShort(ipStart + 2) & 0xffff;
        int udpStart = ipStart + 20;
        int udpLen = b.getShort(udpStart + 4) & 0xffff;
        byte[] payload = new byte[udpLen - 8];
        System.arraycopy(frame, udpStart + 8, payload, 0, payload.length);
        if (ipLen != 20 + udpLen) {
            throw new IllegalArgumentException("IPv4 total length " + ipLen + " vs UDP length " + udpLen);
        }
        return new Packet(vni, b.getInt(ipStart + 12), b.getShort(udpStart) & 0xffff, b.getInt(ipStart + 16),
                b.getShort(udpStart + 2) & 0xffff, b.get(ipStart + 8) & 0xff, payload,
                b.getShort(ipStart + 10) & 0xffff, b.getShort(udpStart + 6) & 0xffff);
    }

    /** True when the IPv4 header checksum of a received frame verifies (sums to 0xffff). */
    public static boolean ipChecksumValid(byte[] frame) {
        return checksum(frame, 8 + 14, 20, 0) == 0;
    }

    /** True when the UDP checksum of a received frame verifies over the pseudo-header. */
    public static boolean udpChecksumValid(byte[] frame, int length) {
        ByteBuffer b = ByteBuffer.wrap(frame).order(ByteOrder.BIG_ENDIAN);
        int ipStart = 8 + 14;
        int udpStart = ipStart + 20;
        int udpLen = b.getShort(udpStart + 4) & 0xffff;
        if (b.getShort(udpStart + 6) == 0) {
            return true;
        }
        return checksum(frame, udpStart, udpLen, pseudo(b.getInt(ipStart + 12), b.getInt(ipStart + 16), udpLen)) == 0;
    }

    private static long pseudo(int srcIp, int dstIp, int udpLen) {
        return (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + 17 + udpLen;
    }

    private static int udpChecksum(byte[] a, int start, int len, int srcIp, int dstIp) {
        int sum = checksum(a, start, len, pseudo(srcIp, dstIp, len));
        return sum == 0 ? 0xffff : sum;
    }

    /** RFC 1071 one's complement sum, complemented. */
    private static int checksum(byte[] a, int start, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((a[start + i] & 0xff) << 8) | (a[start + i + 1] & 0xff);
        }
        if ((len & 1) == 1) {
            sum += (a[start + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
