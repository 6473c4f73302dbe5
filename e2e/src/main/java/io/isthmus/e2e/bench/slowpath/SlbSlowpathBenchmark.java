package io.isthmus.e2e.bench.slowpath;

import java.nio.ByteBuffer;
import java.util.StringJoiner;

import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.VnfPolicy;
import io.isthmus.vnf.slb.SlbPolicy;

/**
 * Benchmark 14: new connections through the load balancer's slowpath ({@link SlowpathBenchmark}). Each is a TCP SYN
 * from a distinct client (address, port) to the one listener, VIP:80, so a Maglev pick among 100 backends of equal
 * weight (no health check: no probes run), a local port, and a forward and a reverse rule. The rounds' configurations
 * differ in the backends' VNI: a configuration that changes it ends every connection (a TCP one stays, ended, until its
 * client's next packet, which it answers with a reset) and forgets those it had ended before, so the rounds take two
 * sets of clients in turn and each round's SYNs are new connections.
 *
 * <pre>
 *   0  VXLAN   flags 0x08, VNI                        8 bytes
 *   8  Ethernet dst, src, type 0x0800                 14 bytes
 *   22 IPv4    20 bytes, DF, TTL 64
 *   42 TCP     24 bytes: SYN, window 64,240, MSS 1,460
 * </pre>
 */
public final class SlbSlowpathBenchmark implements SlowpathBenchmark.Workload {

    private static final int FRONTEND_VNI = 300;
    private static final int VIP = Ipv4Addresses.parse("172.31.9.10");
    private static final int VIP_PORT = 80;
    private static final int CLIENTS = Ipv4Addresses.parse("172.16.0.1");
    /** Clients' addresses of the second set start this far after the first's. */
    private static final int SET_STRIDE = 4096;
    private static final int CONNECTIONS_PER_CLIENT = 250;
    private static final int BACKENDS = 100;
    private static final int LOCAL_ADDRESSES = 4;
    /** A local address's ports per protocol (1,024..65,535). */
    private static final int PORTS_PER_ADDRESS = 64_512;
    private static final int TCP_OFFSET = 8 + 14 + 20;
    private static final int PACKET_LENGTH = TCP_OFFSET + 24;
    private static final int SYN = 0x02;

    public static void main(String[] argv) throws Exception {
        SlowpathBenchmark.run(new SlbSlowpathBenchmark(), argv);
    }

    @Override
    public String name() {
        return "slb";
    }

    @Override
    public String flow() {
        return "connection";
    }

    @Override
    public VnfPolicy policy() {
        return new SlbPolicy();
    }

    /** One TCP listener, one group of 100 backends of equal weight, 4 local addresses; the backends' VNI by parity. */
    @Override
    public String config(int parity) {
        StringJoiner backends = new StringJoiner(",");
        for (int b = 0; b < BACKENDS; b++) {
            backends.add("{\"address\":\"10.20.1.%d\",\"port\":80}".formatted(1 + b));
        }
        StringJoiner locals = new StringJoiner(",");
        for (int a = 0; a < LOCAL_ADDRESSES; a++) {
            locals.add("\"10.20.0.%d\"".formatted(250 + a));
        }
        return """
                {"frontendVni":%d,"backendVni":%d,"localAddresses":[%s],
                 "frontendNextHop":"127.0.0.1:40001","backendNextHop":"127.0.0.1:40002",
                 "listeners":[{"name":"web","vip":"%s","protocol":"tcp","port":%d,"backendGroup":"web"}],
                 "backendGroups":[{"name":"web","backends":[%s]}]}""".formatted(FRONTEND_VNI, 100 + parity, locals,
                Ipv4Addresses.format(VIP), VIP_PORT, backends);
    }

    /** A configuration forgets the connections it finds ended, and ends the others: two sets of clients in turn. */
    @Override
    public int sets() {
        return 2;
    }

    /** The local ports of one round. */
    @Override
    public int maxFlows() {
        return LOCAL_ADDRESSES * PORTS_PER_ADDRESS;
    }

    @Override
    public FlowKey key(int set, int flow) {
        return new FlowKey(FRONTEND_VNI, FlowKey.TCP, client(set, flow), VIP, clientPort(flow), VIP_PORT);
    }

    /** A SYN (the policy reads its flags: only a SYN opens a connection); the slowpath checks no checksum. */
    @Override
    public int packet(int set, int flow, ByteBuffer b) {
        b.put(0, (byte) 0x08).put(1, (byte) 0).putShort(2, (short) 0).putInt(4, FRONTEND_VNI << 8);
        b.putLong(8, 0x0200_0000_0002_0200L).putInt(16, 0x0000_0001).putShort(20, (short) 0x0800);
        int ip = 22;
        b.put(ip, (byte) 0x45).put(ip + 1, (byte) 0).putShort(ip + 2, (short) (PACKET_LENGTH - ip))
                .putShort(ip + 4, (short) flow).putShort(ip + 6, (short) 0x4000).put(ip + 8, (byte) 64)
                .put(ip + 9, (byte) FlowKey.TCP).putShort(ip + 10, (short) 0).putInt(ip + 12, client(set, flow))
                .putInt(ip + 16, VIP);
        int tcp = TCP_OFFSET;
        b.putShort(tcp, (short) clientPort(flow)).putShort(tcp + 2, (short) VIP_PORT).putInt(tcp + 4, flow)
                .putInt(tcp + 8, 0).put(tcp + 12, (byte) (6 << 4)).put(tcp + 13, (byte) SYN)
                .putShort(tcp + 14, (short) 64_240).putShort(tcp + 16, (short) 0).putShort(tcp + 18, (short) 0)
                .putInt(tcp + 20, 0x0204_05B4);
        return PACKET_LENGTH;
    }

    @Override
    public int held(VnfPolicy policy) {
        return (Integer) policy.indicators().get("connections");
    }

    private static int client(int set, int flow) {
        return CLIENTS + set * SET_STRIDE + flow / CONNECTIONS_PER_CLIENT;
    }

    private static int clientPort(int flow) {
        return 10_000 + flow % CONNECTIONS_PER_CLIENT;
    }
}
