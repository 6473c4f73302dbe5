// Sends a VXLAN-encapsulated UDP packet through a NAT gateway's fastpath and shows what comes out, in both
// directions. Plain JDK, run as a source file: java scripts/NatProbe.java <fastpath data port> <outside port> <inside port>
// The outside and inside ports are the outsideNextHop and insideNextHop given at instantiation (127.0.0.1).
// With "-" for the fastpath port it reads an NS instance (GET /nslcm/v2/ns_instances/{id}) from standard input and
// takes the data port of its first fastpath.
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

public class NatProbe {

    public static void main(String[] args) throws Exception {
        try {
            probe(args);
        } catch (java.net.SocketTimeoutException e) {
            System.err.println("nothing came out of the NAT within 3 s: is it instantiated with these next hops?");
            System.exit(1);
        }
    }

    static void probe(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java scripts/NatProbe.java <fastpath data port> <outside next-hop port> <inside next-hop port> [insideVni outsideVni]");
            System.exit(2);
        }
        int fastpath;
        if (args[0].equals("-")) {
            String ns = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"dataPort\"\\s*:\\s*(\\d+)").matcher(ns);
            if (!m.find()) {
                System.err.println("no fastpath dataPort in the NS instance read from standard input:\n" + ns);
                System.exit(1);
            }
            fastpath = Integer.parseInt(m.group(1));
        } else {
            fastpath = Integer.parseInt(args[0]);
        }
        int outsidePort = Integer.parseInt(args[1]);
        int insidePort = Integer.parseInt(args[2]);
        int insideVni = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int outsideVni = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        int client = ip("10.0.0.5");
        int server = ip("198.51.100.7");
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket tx = new DatagramSocket();
                DatagramSocket outside = new DatagramSocket(new InetSocketAddress("127.0.0.1", outsidePort));
                DatagramSocket inside = new DatagramSocket(new InetSocketAddress("127.0.0.1", insidePort))) {
            outside.setSoTimeout(3000);
            inside.setSoTimeout(3000);
            byte[] out = frame(insideVni, client, 5555, server, 53, "hello from the VPC");
            tx.send(new DatagramPacket(out, out.length, lo, fastpath));
            System.out.printf("sent     VNI %d  %s:%d -> %s:%d%n", insideVni, dotted(client), 5555, dotted(server), 53);
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            outside.receive(p);
            ByteBuffer b = ByteBuffer.wrap(buf);
            int natIp = b.getInt(22 + 12);
            int natPort = b.getShort(42) & 0xffff;
            System.out.printf("outside  VNI %d  %s:%d -> %s:%d  (ip checksum %s, udp checksum %s)%n", b.getInt(4) >>> 8,
                    dotted(natIp), natPort, dotted(b.getInt(22 + 16)), b.getShort(44) & 0xffff,
                    sum(buf, 22, 20, 0) == 0 ? "ok" : "BAD", udpOk(buf) ? "ok" : "BAD");
            byte[] reply = frame(outsideVni, server, 53, natIp, natPort, "hello from the internet");
            tx.send(new DatagramPacket(reply, reply.length, lo, fastpath));
            System.out.printf("replied  VNI %d  %s:%d -> %s:%d%n", outsideVni, dotted(server), 53, dotted(natIp), natPort);
            p = new DatagramPacket(buf, buf.length);
            inside.receive(p);
            b = ByteBuffer.wrap(buf);
            System.out.printf("inside   VNI %d  %s:%d -> %s:%d  (ip checksum %s, udp checksum %s)%n", b.getInt(4) >>> 8,
                    dotted(b.getInt(22 + 12)), b.getShort(42) & 0xffff, dotted(b.getInt(22 + 16)),
                    b.getShort(44) & 0xffff, sum(buf, 22, 20, 0) == 0 ? "ok" : "BAD", udpOk(buf) ? "ok" : "BAD");
        }
    }

    static byte[] frame(int vni, int src, int sport, int dst, int dport, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + 14 + 28 + payload.length);
        b.put((byte) 8).put(new byte[3]).putInt(vni << 8);
        b.put(new byte[] { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 }).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length)).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(src).putInt(dst);
        b.putShort(22 + 10, (short) sum(b.array(), 22, 20, 0));
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload);
        int c = sum(b.array(), 42, 8 + payload.length, pseudo(src, dst, 8 + payload.length));
        b.putShort(42 + 6, (short) (c == 0 ? 0xffff : c));
        return b.array();
    }

    static boolean udpOk(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        int len = b.getShort(46) & 0xffff;
        return sum(f, 42, len, pseudo(b.getInt(34), b.getInt(38), len)) == 0;
    }

    static long pseudo(int src, int dst, int len) {
        return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 17 + len;
    }

    static int sum(byte[] a, int off, int len, long s) {
        for (int i = 0; i + 1 < len; i += 2) {
            s += ((a[off + i] & 0xff) << 8) | (a[off + i + 1] & 0xff);
        }
        if ((len & 1) == 1) {
            s += (a[off + len - 1] & 0xff) << 8;
        }
        while (s >>> 16 != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    static int ip(String d) {
        String[] p = d.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8 | Integer.parseInt(p[3]);
    }

    static String dotted(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 0xff) + "." + (ip >>> 8 & 0xff) + "." + (ip & 0xff);
    }
}
