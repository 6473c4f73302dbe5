package io.isthmus.e2e.bench.slowpath;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.VnfPolicy;
import io.isthmus.vnf.nat.NatPolicy;

/**
 * Benchmark 3: new NAT flows through the slowpath ({@link SlowpathBenchmark}). Each new flow is a UDP flow from a
 * distinct inside endpoint, so a new binding (a free public port) with a forward and a reverse rule; the rounds'
 * configurations differ in their public address, so each ends every binding of the round before.
 */
public final class NatSlowpathBenchmark implements SlowpathBenchmark.Workload {

    private static final int PACKET_LENGTH = 68;
    private static final int INSIDE_VNI = 100;
    private static final int REMOTE = Ipv4Addresses.parse("198.51.100.7");
    private static final int INSIDE = Ipv4Addresses.parse("10.0.0.0");
    /** Bindings per inside host: within the NAT's default 64-port block. */
    private static final int FLOWS_PER_HOST = 60;
    /** The NAT logs each port block it hands out (INFO): not what is measured here. */
    private static final Logger NAT_LOG = Logger.getLogger("io.isthmus.vnf.nat");

    public static void main(String[] argv) throws Exception {
        NAT_LOG.setLevel(Level.WARNING);
        SlowpathBenchmark.run(new NatSlowpathBenchmark(), argv);
    }

    @Override
    public String name() {
        return "nat";
    }

    @Override
    public String flow() {
        return "flow";
    }

    @Override
    public VnfPolicy policy() {
        return new NatPolicy();
    }

    @Override
    public String config(int parity) {
        return """
                {"publicAddress":"203.0.113.%d","portRangeStart":1024,"portRangeEnd":65535,
                 "insideVni":100,"outsideVni":200,
                 "insideNextHop":"127.0.0.1:40002","outsideNextHop":"127.0.0.1:40001"}""".formatted(10 + parity);
    }

    @Override
    public int sets() {
        return 1;
    }

    /** One public port each. */
    @Override
    public int maxFlows() {
        return 64_000;
    }

    /**
     * A distinct inside endpoint per flow, each needing a new binding: FLOWS_PER_HOST ports of each of 1,000 hosts
     * (60,000 flows), so every host's bindings fit the one 64-port block it is given.
     */
    @Override
    public FlowKey key(int set, int flow) {
        return new FlowKey(INSIDE_VNI, FlowKey.UDP, INSIDE + flow / FLOWS_PER_HOST, REMOTE + (flow % 250),
                40_000 + flow % FLOWS_PER_HOST, 53);
    }

    /** The NAT reads nothing of the packet but its key: a VXLAN header and zeros. */
    @Override
    public int packet(int set, int flow, ByteBuffer packet) {
        Arrays.fill(packet.array(), 0, PACKET_LENGTH, (byte) 0);
        packet.put(0, (byte) 0x08).putInt(4, INSIDE_VNI << 8);
        return PACKET_LENGTH;
    }

    @Override
    public int held(VnfPolicy policy) {
        return ((NatPolicy) policy).bindingCount();
    }
}
