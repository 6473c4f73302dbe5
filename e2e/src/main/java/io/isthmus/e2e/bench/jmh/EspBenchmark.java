package io.isthmus.e2e.bench.jmh;

import java.nio.ByteBuffer;
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
import io.isthmus.fastpath.flow.ActionExecutor;
import io.isthmus.fastpath.flow.ActionProgramTable;
import io.isthmus.fastpath.flow.SecurityAssociationTable;
import io.isthmus.fastpath.packet.EthernetFlyweight;
import io.isthmus.fastpath.packet.Ipv4Flyweight;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.packet.UdpFlyweight;
import io.isthmus.fastpath.packet.VxlanFlyweight;

/**
 * ESP in Java (AES-128-GCM, tunnel mode): one operation is an inner IPv4/UDP packet of {@code size} bytes encrypted
 * by one fastpath's ESP_ENCRYPT and decrypted by another's ESP_DECRYPT (so every sequence number is fresh for the
 * replay window). Run with {@code -prof gc}: the allocation is javax.crypto's (a Cipher.init per packet).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--enable-native-access=ALL-UNNAMED"})
public class EspBenchmark {

    @Param({"64", "1400"})
    int size;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    private final PacketParser parser = new PacketParser();
    private ActionExecutor sender;
    private ActionExecutor receiver;
    private int encrypt;
    private int decrypt;
    private int length;
    private byte[] original;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] key = new byte[20];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 13 + 1);
        }
        SecurityAssociationTable out = new SecurityAssociationTable(1);
        out.installOutbound(0, 0x1000, key, 0xC0000201, 0xC6336401);
        SecurityAssociationTable in = new SecurityAssociationTable(1);
        in.installInbound(0, 0x1000, key);
        ActionProgramTable outPrograms = new ActionProgramTable(1);
        encrypt = outPrograms.allocate();
        outPrograms.append(encrypt, Action.ESP_ENCRYPT, 0);
        outPrograms.append(encrypt, Action.SET_NEXT_HOP, 0);
        ActionProgramTable inPrograms = new ActionProgramTable(1);
        decrypt = inPrograms.allocate();
        inPrograms.append(decrypt, Action.ESP_DECRYPT, 0);
        inPrograms.append(decrypt, Action.SET_NEXT_HOP, 0);
        sender = new ActionExecutor(outPrograms, out);
        receiver = new ActionExecutor(inPrograms, in);

        int ipLength = size;
        length = PacketParser.IPV4_OFFSET_IN_PACKET + ipLength;
        new VxlanFlyweight().wrap(buffer, 0).reset(100);
        new EthernetFlyweight().wrap(buffer, VxlanFlyweight.HEADER_LENGTH).etherType(EthernetFlyweight.ETHER_TYPE_IPV4);
        int ip = PacketParser.IPV4_OFFSET_IN_PACKET;
        new Ipv4Flyweight().wrap(buffer, ip).versionAndIhl(4, 5).totalLength(ipLength).ttl(64)
                .flagsAndFragmentOffset(Ipv4Flyweight.FLAG_DONT_FRAGMENT).protocol(Ipv4Flyweight.PROTOCOL_UDP)
                .srcAddress(0x0A010005).dstAddress(0x0A020009).updateChecksum();
        new UdpFlyweight().wrap(buffer, ip + 20).srcPort(40001).dstPort(53).length(ipLength - 20).checksum(0);
        original = new byte[length];
        buffer.get(0, original);
    }

    @Benchmark
    public int roundTrip() {
        buffer.put(0, original);
        parser.parse(buffer, 0, length);
        if (sender.execute(encrypt, parser) != 0) {
            throw new IllegalStateException("encrypt failed: " + sender.lastEspError());
        }
        parser.parse(buffer, 0, parser.packetLength());
        if (receiver.execute(decrypt, parser) != 0) {
            throw new IllegalStateException("decrypt failed: " + receiver.lastEspError());
        }
        return parser.packetLength();
    }
}
