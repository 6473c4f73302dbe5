package io.isthmus.fastpath.testing;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * An encoder and decoder of VXLAN/Ethernet/IPv4/UDP|TCP|ICMP packets written independently of the code under test:
 * byte by byte, big-endian by shifts, checksums by the textbook RFC 1071 loop over a copy with the checksum field
 * zeroed. Tests build packets here and check the data plane's output against it.
 */
public final class ReferencePackets {

    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;

    private ReferencePackets() {
    }

    public static Builder udp(String src, int srcPort, String dst, int dstPort) {
        return new Builder().protocol(UDP).src(src, srcPort).dst(dst, dstPort);
    }

    public static Builder tcp(String src, int srcPort, String dst, int dstPort) {
        return new Builder().protocol(TCP).src(src, srcPort).dst(dst, dstPort);
    }

    public static Builder icmpEcho(boolean request, String src, String dst, int identifier, int sequence) {
        Builder b = new Builder().protocol(ICMP).src(src, 0).dst(dst, 0);
        b.icmpType = request ? 8 : 0;
        b.icmpIdentifier = identifier;
        b.icmpSequence = sequence;
        return b;
    }

    /**
     * An ICMP error ({@code type}, {@code code}) from {@code src} to {@code dst} quoting {@code quoted} (an IPv4
     * packet, e.g. {@link #quote}); {@code restOfHeader} is bytes 4-7 (unused, or the next-hop MTU in the low 16 bits).
     */
    public static Builder icmpError(int type, int code, String src, String dst, int restOfHeader, byte[] quoted) {
        Builder b = new Builder().protocol(ICMP).src(src, 0).dst(dst, 0).payload(quoted);
        b.icmpType = type;
        b.icmpCode = code;
        b.icmpIdentifier = restOfHeader >>> 16;
        b.icmpSequence = restOfHeader & 0xFFFF;
        return b;
    }

    /**
     * What a router quotes of a VXLAN payload built here: its IPv4 header and the first {@code l4Bytes} bytes after it
     * (8 per RFC 792, more per RFC 1812), without the VXLAN and Ethernet headers.
     */
    public static byte[] quote(byte[] vxlanPayload, int l4Bytes) {
        int ip = 22;
        int ihl = (vxlanPayload[ip] & 0x0F) * 4;
        return Arrays.copyOfRange(vxlanPayload, ip, Math.min(vxlanPayload.length, ip + ihl + l4Bytes));
    }

    /** Builds a VXLAN payload (the UDP payload on a tunnel endpoint's port). */
    public static final class Builder {
        int vni = 100;
        int vxlanFlags = 0x08;
        long dstMac = 0x02_00_00_00_00_02L;
        long srcMac = 0x02_00_00_00_00_01L;
        int etherType = 0x0800;
        int ihl = 5;
        int tos;
        int identification = 0x1234;
        int flagsFragment = 0x4000;
        int ttl = 64;
        int protocol = UDP;
        int srcAddress;
        int dstAddress;
        int srcPort;
        int dstPort;
        int tcpFlags = 0x18;
        int tcpSequence = 0x0102_0304;
        int tcpAcknowledgment = 0x0506_0708;
        int tcpWindow = 0xFFFF;
        int icmpType = 8;
        int icmpCode;
        int icmpIdentifier;
        int icmpSequence;
        byte[] payload = "hello, isthmus".getBytes();
        boolean udpChecksum = true;
        boolean corruptIpChecksum;
        int ethernetPadding;

        public Builder vni(int vni) {
            this.vni = vni;
            return this;
        }

        public Builder vxlanFlags(int flags) {
            this.vxlanFlags = flags;
            return this;
        }

        public Builder etherType(int etherType) {
            this.etherType = etherType;
            return this;
        }

        public Builder protocol(int protocol) {
            this.protocol = protocol;
            return this;
        }

        public Builder src(String address, int port) {
            this.srcAddress = parse(address);
            this.srcPort = port;
            return this;
        }

        public Builder dst(String address, int port) {
            this.dstAddress = parse(address);
            this.dstPort = port;
            return this;
        }

        public Builder srcAddress(int address) {
            this.srcAddress = address;
            return this;
        }

        public Builder dstAddress(int address) {
            this.dstAddress = address;
            return this;
        }

        public Builder ports(int srcPort, int dstPort) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
            return this;
        }

        public Builder ttl(int ttl) {
            this.ttl = ttl;
            return this;
        }

        public Builder tos(int tos) {
            this.tos = tos;
            return this;
        }

        public Builder identification(int identification) {
            this.identification = identification;
            return this;
        }

        /** IPv4 options: {@code words} 32-bit words of NOP options after the fixed header. */
        public Builder ipOptionWords(int words) {
            this.ihl = 5 + words;
            return this;
        }

        public Builder flagsAndFragmentOffset(int value) {
            this.flagsFragment = value;
            return this;
        }

        public Builder tcpFlags(int flags) {
            this.tcpFlags = flags;
            return this;
        }

        public Builder payload(byte[] payload) {
            this.payload = payload.clone();
            return this;
        }

        /** Sends UDP without a checksum (zero). */
        public Builder noUdpChecksum() {
            this.udpChecksum = false;
            return this;
        }

        public Builder corruptIpChecksum() {
            this.corruptIpChecksum = true;
            return this;
        }

        /** Trailing bytes after the IPv4 packet, as Ethernet pads short frames. */
        public Builder ethernetPadding(int bytes) {
            this.ethernetPadding = bytes;
            return this;
        }

        public byte[] build() {
            byte[] l4 = switch (protocol) {
                case UDP -> udpSegment();
                case TCP -> tcpSegment();
                case ICMP -> icmpMessage();
                default -> payload.clone();
            };
            int ipHeaderLength = ihl * 4;
            byte[] ip = new byte[ipHeaderLength + l4.length];
            ip[0] = (byte) (0x40 | ihl);
            ip[1] = (byte) tos;
            put16(ip, 2, ip.length);
            put16(ip, 4, identification);
            put16(ip, 6, flagsFragment);
            ip[8] = (byte) ttl;
            ip[9] = (byte) protocol;
            put32(ip, 12, srcAddress);
            put32(ip, 16, dstAddress);
            for (int i = 20; i < ipHeaderLength; i++) {
                ip[i] = 1; // NOP option
            }
            int ipChecksum = internetChecksum(ip, 0, ipHeaderLength);
            put16(ip, 10, corruptIpChecksum ? ipChecksum ^ 0x5A5A : ipChecksum);
            System.arraycopy(l4, 0, ip, ipHeaderLength, l4.length);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(vxlanFlags);
            out.write(0);
            out.write(0);
            out.write(0);
            out.write(vni >>> 16);
            out.write(vni >>> 8);
            out.write(vni);
            out.write(0);
            for (int i = 5; i >= 0; i--) {
                out.write((int) (dstMac >>> (8 * i)));
            }
            for (int i = 5; i >= 0; i--) {
                out.write((int) (srcMac >>> (8 * i)));
            }
            out.write(etherType >>> 8);
            out.write(etherType);
            out.writeBytes(ip);
            out.writeBytes(new byte[ethernetPadding]);
            return out.toByteArray();
        }

        private byte[] udpSegment() {
            byte[] udp = new byte[8 + payload.length];
            put16(udp, 0, srcPort);
            put16(udp, 2, dstPort);
            put16(udp, 4, udp.length);
            System.arraycopy(payload, 0, udp, 8, payload.length);
            if (udpChecksum) {
                int checksum = pseudoHeaderChecksum(srcAddress, dstAddress, UDP, udp);
                put16(udp, 6, checksum == 0 ? 0xFFFF : checksum);
            }
            return udp;
        }

        private byte[] tcpSegment() {
            byte[] tcp = new byte[20 + payload.length];
            put16(tcp, 0, srcPort);
            put16(tcp, 2, dstPort);
            put32(tcp, 4, tcpSequence);
            put32(tcp, 8, tcpAcknowledgment);
            tcp[12] = (byte) (5 << 4);
            tcp[13] = (byte) tcpFlags;
            put16(tcp, 14, tcpWindow);
            System.arraycopy(payload, 0, tcp, 20, payload.length);
            put16(tcp, 16, pseudoHeaderChecksum(srcAddress, dstAddress, TCP, tcp));
            return tcp;
        }

        private byte[] icmpMessage() {
            byte[] icmp = new byte[8 + payload.length];
            icmp[0] = (byte) icmpType;
            icmp[1] = (byte) icmpCode;
            put16(icmp, 4, icmpIdentifier);
            put16(icmp, 6, icmpSequence);
            System.arraycopy(payload, 0, icmp, 8, payload.length);
            put16(icmp, 2, internetChecksum(icmp, 0, icmp.length));
            return icmp;
        }
    }

    /** A decoded VXLAN payload with its checksums recomputed from scratch. */
    public record Decoded(int vni, int etherType, int ttl, int protocol, int srcAddress, int dstAddress, int srcPort,
            int dstPort, int icmpIdentifier, int ipChecksum, int expectedIpChecksum, int l4Checksum,
            int expectedL4Checksum, byte[] payload) {

        public boolean ipChecksumValid() {
            return ipChecksum == expectedIpChecksum;
        }

        /** Whether the L4 checksum is present (UDP may send none) and correct. */
        public boolean l4ChecksumValid() {
            return l4Checksum != 0 && l4Checksum == expectedL4Checksum;
        }

        public String src() {
            return format(srcAddress);
        }

        public String dst() {
            return format(dstAddress);
        }
    }

    /** Decodes a VXLAN payload built like {@link Builder} does (IPv4 without options). */
    public static Decoded decode(byte[] packet, int length) {
        int vni = (u8(packet, 4) << 16) | (u8(packet, 5) << 8) | u8(packet, 6);
        int etherType = u16(packet, 20);
        int ip = 22;
        int ihl = (u8(packet, ip) & 0x0F) * 4;
        int totalLength = u16(packet, ip + 2);
        int protocol = u8(packet, ip + 9);
        int src = u32(packet, ip + 12);
        int dst = u32(packet, ip + 16);
        byte[] header = Arrays.copyOfRange(packet, ip, ip + ihl);
        int ipChecksum = u16(header, 10);
        header[10] = 0;
        header[11] = 0;
        int expectedIp = internetChecksum(header, 0, ihl);
        byte[] l4 = Arrays.copyOfRange(packet, ip + ihl, ip + totalLength);
        int srcPort = 0;
        int dstPort = 0;
        int icmpIdentifier = 0;
        int l4Checksum;
        int expectedL4;
        byte[] payload;
        switch (protocol) {
            case UDP -> {
                srcPort = u16(l4, 0);
                dstPort = u16(l4, 2);
                l4Checksum = u16(l4, 6);
                l4[6] = 0;
                l4[7] = 0;
                expectedL4 = pseudoHeaderChecksum(src, dst, UDP, l4);
                expectedL4 = expectedL4 == 0 ? 0xFFFF : expectedL4;
                payload = Arrays.copyOfRange(l4, 8, l4.length);
            }
            case TCP -> {
                srcPort = u16(l4, 0);
                dstPort = u16(l4, 2);
                l4Checksum = u16(l4, 16);
                l4[16] = 0;
                l4[17] = 0;
                expectedL4 = pseudoHeaderChecksum(src, dst, TCP, l4);
                payload = Arrays.copyOfRange(l4, (u8(l4, 12) >>> 4) * 4, l4.length);
            }
            case ICMP -> {
                icmpIdentifier = u16(l4, 4);
                l4Checksum = u16(l4, 2);
                l4[2] = 0;
                l4[3] = 0;
                expectedL4 = internetChecksum(l4, 0, l4.length);
                payload = Arrays.copyOfRange(l4, 8, l4.length);
            }
            default -> {
                l4Checksum = 0;
                expectedL4 = 0;
                payload = l4;
            }
        }
        return new Decoded(vni, etherType, u8(packet, ip + 8), protocol, src, dst, srcPort, dstPort, icmpIdentifier,
                ipChecksum, expectedIp, l4Checksum, expectedL4, payload);
    }

    public static Decoded decode(byte[] packet) {
        return decode(packet, packet.length);
    }

    /** RFC 1071: the ones'-complement of the ones'-complement sum of 16-bit words, odd byte padded. */
    public static int internetChecksum(byte[] data, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = data[offset + i] & 0xFF;
            int low = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** The TCP/UDP checksum over the pseudo-header and {@code segment} (its checksum field must be zero). */
    public static int pseudoHeaderChecksum(int src, int dst, int protocol, byte[] segment) {
        byte[] data = new byte[12 + segment.length];
        put32(data, 0, src);
        put32(data, 4, dst);
        data[9] = (byte) protocol;
        put16(data, 10, segment.length);
        System.arraycopy(segment, 0, data, 12, segment.length);
        return internetChecksum(data, 0, data.length);
    }

    public static int parse(String address) {
        String[] parts = address.split("\\.");
        return (Integer.parseInt(parts[0]) << 24) | (Integer.parseInt(parts[1]) << 16)
                | (Integer.parseInt(parts[2]) << 8) | Integer.parseInt(parts[3]);
    }

    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    public static int u8(byte[] data, int offset) {
        return data[offset] & 0xFF;
    }

    public static int u16(byte[] data, int offset) {
        return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
    }

    public static int u32(byte[] data, int offset) {
        return ((data[offset] & 0xFF) << 24) | ((data[offset + 1] & 0xFF) << 16) | ((data[offset + 2] & 0xFF) << 8)
                | (data[offset + 3] & 0xFF);
    }

    public static void put16(byte[] data, int offset, int value) {
        data[offset] = (byte) (value >>> 8);
        data[offset + 1] = (byte) value;
    }

    public static void put32(byte[] data, int offset, int value) {
        data[offset] = (byte) (value >>> 24);
        data[offset + 1] = (byte) (value >>> 16);
        data[offset + 2] = (byte) (value >>> 8);
        data[offset + 3] = (byte) value;
    }

    /** The packet an ICMP error quotes, decoded from a VXLAN payload built like {@link #icmpError}. */
    public record Quoted(int type, int code, int protocol, int srcAddress, int dstAddress, int srcPort, int dstPort,
            int icmpIdentifier, boolean ipChecksumValid, int l4Checksum, byte[] bytes) {

        public String src() {
            return format(srcAddress);
        }

        public String dst() {
            return format(dstAddress);
        }
    }

    /** Decodes the quote of an ICMP error (outer IPv4 without options). */
    public static Quoted decodeQuote(byte[] packet) {
        int icmp = 22 + 20;
        int quoteStart = icmp + 8;
        int totalLength = u16(packet, 22 + 2);
        byte[] quoted = Arrays.copyOfRange(packet, quoteStart, 22 + totalLength);
        int ihl = (u8(quoted, 0) & 0x0F) * 4;
        int protocol = u8(quoted, 9);
        byte[] header = Arrays.copyOfRange(quoted, 0, ihl);
        int stored = u16(header, 10);
        header[10] = 0;
        header[11] = 0;
        boolean ipValid = stored == internetChecksum(header, 0, ihl);
        int srcPort = 0;
        int dstPort = 0;
        int identifier = 0;
        int l4Checksum = 0;
        switch (protocol) {
            case UDP -> {
                srcPort = u16(quoted, ihl);
                dstPort = u16(quoted, ihl + 2);
                l4Checksum = u16(quoted, ihl + 6);
            }
            case TCP -> {
                srcPort = u16(quoted, ihl);
                dstPort = u16(quoted, ihl + 2);
                l4Checksum = quoted.length >= ihl + 18 ? u16(quoted, ihl + 16) : -1;
            }
            case ICMP -> {
                identifier = u16(quoted, ihl + 4);
                l4Checksum = u16(quoted, ihl + 2);
            }
            default -> {
            }
        }
        return new Quoted(u8(packet, icmp), u8(packet, icmp + 1), protocol, u32(quoted, 12), u32(quoted, 16), srcPort,
                dstPort, identifier, ipValid, l4Checksum, quoted);
    }

    /**
     * A VXLAN payload carrying Ethernet/IPv6/UDP: addresses as (high, low) 64-bit halves, the UDP checksum over the
     * IPv6 pseudo-header (RFC 8200 §8.1).
     */
    public static byte[] ipv6Udp(int vni, long srcHigh, long srcLow, long dstHigh, long dstLow, int srcPort,
            int dstPort, int hopLimit, byte[] payload) {
        byte[] udp = new byte[8 + payload.length];
        put16(udp, 0, srcPort);
        put16(udp, 2, dstPort);
        put16(udp, 4, udp.length);
        System.arraycopy(payload, 0, udp, 8, payload.length);
        byte[] pseudo = new byte[40 + udp.length];
        put64(pseudo, 0, srcHigh);
        put64(pseudo, 8, srcLow);
        put64(pseudo, 16, dstHigh);
        put64(pseudo, 24, dstLow);
        put32(pseudo, 32, udp.length);
        pseudo[39] = UDP;
        System.arraycopy(udp, 0, pseudo, 40, udp.length);
        int checksum = internetChecksum(pseudo, 0, pseudo.length);
        put16(udp, 6, checksum == 0 ? 0xFFFF : checksum);
        byte[] ip = new byte[40 + udp.length];
        put32(ip, 0, (6 << 28) | 0x12345);
        put16(ip, 4, udp.length);
        ip[6] = UDP;
        ip[7] = (byte) hopLimit;
        put64(ip, 8, srcHigh);
        put64(ip, 16, srcLow);
        put64(ip, 24, dstHigh);
        put64(ip, 32, dstLow);
        System.arraycopy(udp, 0, ip, 40, udp.length);
        byte[] out = new byte[22 + ip.length];
        out[0] = 0x08;
        out[4] = (byte) (vni >>> 16);
        out[5] = (byte) (vni >>> 8);
        out[6] = (byte) vni;
        out[11] = 2;
        out[17] = 1;
        put16(out, 20, 0x86DD);
        System.arraycopy(ip, 0, out, 22, ip.length);
        return out;
    }

    public static void put64(byte[] data, int offset, long value) {
        put32(data, offset, (int) (value >>> 32));
        put32(data, offset + 4, (int) value);
    }

    /** A VXLAN payload (VXLAN, Ethernet with EtherType IPv4) around an IPv4 packet. */
    public static byte[] vxlan(int vni, byte[] ipv4Packet) {
        byte[] out = new byte[22 + ipv4Packet.length];
        out[0] = 0x08;
        out[4] = (byte) (vni >>> 16);
        out[5] = (byte) (vni >>> 8);
        out[6] = (byte) vni;
        out[11] = 2;
        out[17] = 1;
        put16(out, 20, 0x0800);
        System.arraycopy(ipv4Packet, 0, out, 22, ipv4Packet.length);
        return out;
    }

    /** The IPv4 packet in a VXLAN payload, by its total length (Ethernet padding dropped). */
    public static byte[] ipv4(byte[] vxlanPayload) {
        return Arrays.copyOfRange(vxlanPayload, 22, 22 + u16(vxlanPayload, 24));
    }
}
