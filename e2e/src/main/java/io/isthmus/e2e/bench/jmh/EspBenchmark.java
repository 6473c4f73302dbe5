package io.isthmus.e2e.bench.jmh;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Rule;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.InstallSaFlyweight;
import io.isthmus.fastpath.crypto.AesGcm;
import io.isthmus.fastpath.flow.FlowTable;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.flow.IdleTimeouts;
import io.isthmus.fastpath.flow.SecurityAssociationTable;
import io.isthmus.fastpath.packet.EthernetFlyweight;
import io.isthmus.fastpath.packet.Ipv4Flyweight;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.packet.UdpFlyweight;
import io.isthmus.fastpath.packet.VxlanFlyweight;

/**
 * ESP through the fastpath's pipeline, one packet per operation (ops/µs = Mpps), the way a worker runs it: parse, flow
 * lookup, the rule's program ({@code ForwardingEngine.execute}). {@code encrypt}: an inner IPv4/UDP packet of
 * {@code size} bytes (the IPv4 total length) through ESP_ENCRYPT + SET_NEXT_HOP with an outbound AES-128-GCM SA in
 * UDP 4500 (RFC 3948) with ESN; {@code decrypt}: the same packets, sealed beforehand by another fastpath's ESP_ENCRYPT,
 * through ESP_DECRYPT + SET_VNI + SET_NEXT_HOP on their outer flow (1,024 of them in turn with fresh sequence numbers;
 * after each 1,024 the inbound SA is installed again, which resets its window, so the allocation per packet of that
 * is ~1 byte). {@code crypto} picks OpenSSL's libcrypto or javax.crypto. Run with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--enable-native-access=ALL-UNNAMED"})
public class EspBenchmark {

    private static final int SEALED = 1024;
    private static final int VNI = 100;
    private static final int LOCAL = 0xC0000201;
    private static final int PEER = 0xC6336401;

    @Param({"1420"})
    int size;

    @Param({"openssl", "jdk"})
    String crypto;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    private final PacketParser parser = new PacketParser();
    private ForwardingEngine sender;
    private ForwardingEngine receiver;
    private SecurityAssociation inbound;
    private byte[] original;
    private int length;
    private byte[][] sealed;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty(AesGcm.PROPERTY, crypto);
        byte[] key = new byte[20];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 13 + 1);
        }
        ByteBuffer message = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
        sender = engine();
        receiver = engine();
        SecurityAssociation outbound = SecurityAssociation.outbound(0, 0x1000, key, LOCAL, PEER).withEsn(true)
                .withUdpEncapsulation(4500, 4500);
        inbound = SecurityAssociation.inbound(0, 0x1000, key).withEsn(true).withUdpEncapsulation(4500, 4500);
        install(sender, message, InstallSaFlyweight.encode(message, 0, 1, 1, outbound, true), true);
        install(receiver, message, InstallSaFlyweight.encode(message, 0, 1, 1, inbound, true), true);
        FlowKey inner = new FlowKey(VNI, FlowKey.UDP, 0x0A010005, 0x0A020009, 40001, 53);
        install(sender, message, InstallFlyweight.encode(message, 0, 1, 2, List.of(Rule.of(inner,
                new Action.EspEncrypt(0), new Action.SetNextHop(PEER, 4789)))), false);
        FlowKey outer = new FlowKey(VNI, FlowKey.UDP, LOCAL, PEER, 4500, 4500);
        install(receiver, message, InstallFlyweight.encode(message, 0, 1, 2, List.of(Rule.of(outer,
                new Action.EspDecrypt(0), new Action.SetVni(200), new Action.SetNextHop(0x0A000002, 4789)))), false);

        length = PacketParser.IPV4_OFFSET_IN_PACKET + size;
        new VxlanFlyweight().wrap(buffer, 0).reset(VNI);
        new EthernetFlyweight().wrap(buffer, VxlanFlyweight.HEADER_LENGTH).etherType(EthernetFlyweight.ETHER_TYPE_IPV4);
        int ip = PacketParser.IPV4_OFFSET_IN_PACKET;
        new Ipv4Flyweight().wrap(buffer, ip).versionAndIhl(4, 5).totalLength(size).ttl(64)
                .flagsAndFragmentOffset(Ipv4Flyweight.FLAG_DONT_FRAGMENT).protocol(Ipv4Flyweight.PROTOCOL_UDP)
                .srcAddress(0x0A010005).dstAddress(0x0A020009).updateChecksum();
        new UdpFlyweight().wrap(buffer, ip + 20).srcPort(40001).dstPort(53).length(size - 20).checksum(0);
        original = new byte[length];
        buffer.get(0, original);

        sealed = new byte[SEALED][];
        for (int i = 0; i < SEALED; i++) {
            encrypt();
            sealed[i] = new byte[parser.packetLength()];
            buffer.get(0, sealed[i]);
        }
        if (!crypto.equals(receiver.securityAssociations().cryptoName())) {
            throw new IllegalStateException("asked for " + crypto + ", got " + receiver.securityAssociations()
                    .cryptoName());
        }
    }

    private static ForwardingEngine engine() {
        return new ForwardingEngine(1024, 4, IdleTimeouts.NEVER, new SecurityAssociationTable(4));
    }

    private static void install(ForwardingEngine engine, ByteBuffer message, int length, boolean sa) {
        int result = sa ? engine.installSecurityAssociation(message, 0, length) : engine.install(message, 0, length);
        if (sa ? result != 1 : result != 0) {
            throw new IllegalStateException("install refused");
        }
    }

    @Benchmark
    public int encrypt() {
        buffer.put(0, original, 0, length);
        parser.parse(buffer, 0, length);
        int program = sender.lookup(parser);
        if (program == FlowTable.MISSING || sender.execute(program, parser) < 0) {
            throw new IllegalStateException("encrypt failed: " + sender.lastEspError());
        }
        return parser.packetLength();
    }

    @Benchmark
    public int decrypt() {
        if (next == SEALED) {
            next = 0;
            // fresh sequence numbers again: the same SA anew (a new window; the cipher context is keyed again)
            receiver.securityAssociations().remove(0);
            receiver.securityAssociations().install(inbound);
        }
        byte[] packet = sealed[next++];
        buffer.put(0, packet, 0, packet.length);
        parser.parse(buffer, 0, packet.length);
        int program = receiver.lookup(parser);
        if (program == FlowTable.MISSING || receiver.execute(program, parser) < 0) {
            throw new IllegalStateException("decrypt failed: " + receiver.lastEspError());
        }
        return parser.packetLength();
    }
}
