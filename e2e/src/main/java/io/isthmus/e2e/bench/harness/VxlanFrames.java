package io.isthmus.e2e.bench.harness;

import java.nio.ByteBuffer;

/**
 * VXLAN payloads (what a tunnel endpoint's UDP datagram carries) of inner IPv4/UDP packets, for the load generator:
 *
 * <pre>
 *   0  VXLAN   flags 0x08, VNI                        8 bytes
 *   8  Ethernet dst, src, type 0x0800                 14 bytes
 *   22 IPv4    20 bytes, DF, TTL 64, header checksum
 *   42 UDP     8 bytes, checksum over the pseudo-header
 *   50 payload
 * </pre>
 */
public final class VxlanFrames {

    public static final int HEADERS = 8 + 14 + 20 + 8;

    private VxlanFrames() {
    }

    /** Flow {@code index}: source {@code 10.<index>:<port>}, one of 64,000 source ports per address. */
    static byte[] flow(int vni, int index, int dstAddress, int dstPort, int payloadLength) {
        int srcAddress = (10 << 24) | (1 + index / 60_000);
        int srcPort = 1024 + index % 60_000;
        return udp(vni, srcAddress, srcPort, dstAddress, dstPort, payloadLength, index);
    }

    static byte[] udp(int vni, int srcAddress, int srcPort, int dstAddress, int dstPort, int payloadLength,
            int seed) {
        ByteBuffer b = ByteBuffer.allocate(HEADERS + payloadLength);
        write(b, vni, srcAddress, srcPort, dstAddress, dstPort, payloadLength, seed);
        return b.array();
    }

    /**
     * Writes one VXLAN payload at the start of {@code b} (every header field, so a reused buffer is fine) and returns
     * its length.
     */
    public static int write(ByteBuffer b, int vni, int srcAddress, int srcPort, int dstAddress, int dstPort,
            int payloadLength, int seed) {
        b.put(0, (byte) 0x08).put(1, (byte) 0).putShort(2, (short) 0).putInt(4, vni << 8);
        b.putLong(8, 0x0200_0000_0002_0200L).putInt(16, 0x0000_0001).putShort(20, (short) 0x0800);
        int ip = 22;
        b.put(ip, (byte) 0x45).put(ip + 1, (byte) 0).putShort(ip + 2, (short) (20 + 8 + payloadLength))
                .putShort(ip + 4, (short) seed).putShort(ip + 6, (short) 0x4000).put(ip + 8, (byte) 64)
                .put(ip + 9, (byte) 17).putShort(ip + 10, (short) 0).putInt(ip + 12, srcAddress)
                .putInt(ip + 16, dstAddress);
        b.putShort(ip + 10, (short) checksum(sum(b, ip, 20)));
        int udp = ip + 20;
        b.putShort(udp, (short) srcPort).putShort(udp + 2, (short) dstPort)
                .putShort(udp + 4, (short) (8 + payloadLength)).putShort(udp + 6, (short) 0);
        for (int i = 0; i < payloadLength; i++) {
            b.put(udp + 8 + i, (byte) (seed + i));
        }
        long pseudo = (srcAddress >>> 16) + (srcAddress & 0xFFFF) + (dstAddress >>> 16) + (dstAddress & 0xFFFF) + 17
                + 8 + payloadLength;
        int udpChecksum = checksum(pseudo + sum(b, udp, 8 + payloadLength));
        b.putShort(udp + 6, (short) (udpChecksum == 0 ? 0xFFFF : udpChecksum));
        return HEADERS + payloadLength;
    }

    private static long sum(ByteBuffer b, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += b.getShort(offset + i) & 0xFFFF;
        }
        if ((length & 1) != 0) {
            sum += (b.get(offset + length - 1) & 0xFF) << 8;
        }
        return sum;
    }

    private static int checksum(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
