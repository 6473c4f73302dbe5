package io.isthmus.fastpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.Rule;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.PuntFlyweight;
import io.isthmus.control.message.ReinjectFlyweight;
import io.isthmus.fastpath.io.PacketIoKind;
import io.isthmus.fastpath.testing.ReferencePackets;

/**
 * A fastpath with two workers on one data port, NAT-forwarding over real loopback sockets. Its slowpath is played by
 * the test: it learns the workers from their HELLOs, answers each punt with a source-NAT rule installed in every
 * worker and re-injects the packet through the worker that punted it, as the real slowpath does.
 */
class FastpathWorkersTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int FASTPATH_ID = 7;
    private static final int FLOWS = 16;
    private static final int PUBLIC_ADDRESS = Ipv4Addresses.parse("203.0.113.10");

    @ParameterizedTest
    @EnumSource(PacketIoKind.class)
    void twoWorkersShareTheDataPortAndBothNatForwardTheirShareOfTheFlows(PacketIoKind io) throws Exception {
        try (DatagramSocket slowpath = socket(); DatagramSocket nextHop = socket()) {
            // Given a fastpath with two workers
            FastpathOptions options = FastpathOptions.of(FASTPATH_ID, LOOPBACK, 0,
                    (InetSocketAddress) slowpath.getLocalSocketAddress()).withHelloInterval(Duration.ofMillis(100))
                    .withMaxFlows(1024).withWorkers(2, io, 32);
            List<DatagramSocket> insideHosts = new ArrayList<>();
            try (Fastpath fastpath = Fastpath.start(options)) {
                assertThat(fastpath.workerCount()).isEqualTo(2);
                // Then each worker registers on its own: worker 0 as the fastpath's id, worker 1 as id + 2^24
                FakeSlowpath control = new FakeSlowpath(slowpath, (InetSocketAddress) nextHop.getLocalSocketAddress());
                control.awaitWorkers(Fastpath.workerId(FASTPATH_ID, 0), Fastpath.workerId(FASTPATH_ID, 1));
                assertThat(Fastpath.workerId(FASTPATH_ID, 1)).isEqualTo(FASTPATH_ID + (1 << 24));

                // When 16 inside hosts, each on its own source port (the kernel hashes the outer 4-tuple), send a
                // packet of a new flow to the shared port, and the slowpath answers the punts
                byte[][] packets = new byte[FLOWS][];
                for (int i = 0; i < FLOWS; i++) {
                    insideHosts.add(socket());
                    packets[i] = ReferencePackets.udp("10.0.0." + (i + 1), 40000 + i, "198.51.100.7", 53).vni(100)
                            .payload(("flow " + i).getBytes()).build();
                    send(insideHosts.get(i), packets[i], fastpath.dataAddress());
                }
                control.answerPunts(FLOWS);

                // Then every flow's first packet reaches the next hop translated
                Map<Integer, Integer> translated = receiveTranslated(nextHop, FLOWS);
                assertThat(translated).hasSize(FLOWS);

                // And both workers punted some: each saw its share of the senders
                assertThat(control.puntsByWorker).containsOnlyKeys(Fastpath.workerId(FASTPATH_ID, 0),
                        Fastpath.workerId(FASTPATH_ID, 1));

                // When every flow sends again
                for (int i = 0; i < FLOWS; i++) {
                    send(insideHosts.get(i), packets[i], fastpath.dataAddress());
                }

                // Then the packets are forwarded without punts by the worker each sender hashes to, same translation
                assertThat(receiveTranslated(nextHop, FLOWS)).isEqualTo(translated);
                long hits0 = fastpath.counters(0).get(FastpathStats.HITS_INDEX);
                long hits1 = fastpath.counters(1).get(FastpathStats.HITS_INDEX);
                assertThat(hits0 + hits1).isEqualTo(FLOWS);
                assertThat(hits0).isPositive();
                assertThat(hits1).isPositive();
                assertThat(fastpath.counters(0).get(FastpathStats.FLOWS_INDEX)).isEqualTo(FLOWS);
                assertThat(fastpath.counters(1).get(FastpathStats.FLOWS_INDEX)).isEqualTo(FLOWS);
            } finally {
                insideHosts.forEach(DatagramSocket::close);
            }
        }
    }

    /** Decodes {@code count} packets at the next hop: inner source (10.0.0.x) by translated port, checked. */
    private static Map<Integer, Integer> receiveTranslated(DatagramSocket nextHop, int count) throws Exception {
        Map<Integer, Integer> portByHost = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            DatagramPacket packet = receive(nextHop);
            ReferencePackets.Decoded decoded = ReferencePackets.decode(packet.getData(), packet.getLength());
            assertThat(decoded.vni()).isEqualTo(200);
            assertThat(decoded.src()).isEqualTo("203.0.113.10");
            assertThat(decoded.ipChecksumValid()).isTrue();
            assertThat(decoded.l4ChecksumValid()).isTrue();
            String payload = new String(decoded.payload());
            portByHost.put(Integer.parseInt(payload.substring("flow ".length())), decoded.srcPort());
        }
        return portByHost;
    }

    /** The slowpath's side of the control protocol, just enough of it. */
    private static final class FakeSlowpath {
        private final DatagramSocket socket;
        private final InetSocketAddress nextHop;
        private final Map<Integer, SocketAddress> workers = new HashMap<>();
        final Map<Integer, Integer> puntsByWorker = new HashMap<>();
        private final ByteBuffer message = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
        private int sequence;
        private int nextPort = 20000;

        FakeSlowpath(DatagramSocket socket, InetSocketAddress nextHop) {
            this.socket = socket;
            this.nextHop = nextHop;
        }

        void awaitWorkers(int... ids) throws Exception {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline
                    && !Arrays.stream(ids).allMatch(workers::containsKey)) {
                handle(receive(socket));
            }
            assertThat(workers).containsOnlyKeys(Arrays.stream(ids).boxed().toList());
        }

        void answerPunts(int count) throws Exception {
            int answered = 0;
            while (answered < count) {
                if (handle(receive(socket))) {
                    answered++;
                }
            }
        }

        /** Registers a HELLO, answers a PUNT (returns true); ignores the rest. */
        private boolean handle(DatagramPacket packet) throws Exception {
            ByteBuffer in = ByteBuffer.wrap(packet.getData(), 0, packet.getLength()).slice();
            int id = ControlProtocol.fastpathId(in, 0);
            switch (ControlProtocol.type(in, 0)) {
                case ControlProtocol.HELLO -> workers.put(id, packet.getSocketAddress());
                case ControlProtocol.PUNT -> {
                    puntsByWorker.merge(id, 1, Integer::sum);
                    FlowKey key = PuntFlyweight.key(in, 0);
                    Rule rule = Rule.of(key, new Action.RewriteSource(PUBLIC_ADDRESS, nextPort++),
                            new Action.SetVni(200), Action.SetNextHop.of(nextHop));
                    for (Map.Entry<Integer, SocketAddress> worker : workers.entrySet()) {
                        int length = InstallFlyweight.encode(message, 0, worker.getKey(), ++sequence,
                                List.of(rule));
                        socket.send(new DatagramPacket(message.array(), length, worker.getValue()));
                    }
                    int length = ReinjectFlyweight.encode(message, 0, id, ++sequence, in,
                            PuntFlyweight.PACKET_OFFSET, PuntFlyweight.packetLength(in, 0));
                    socket.send(new DatagramPacket(message.array(), length, workers.get(id)));
                    return true;
                }
                default -> {
                }
            }
            return false;
        }
    }

    private static DatagramSocket socket() throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(DatagramSocket from, byte[] packet, InetSocketAddress to) throws Exception {
        from.send(new DatagramPacket(packet, packet.length, to));
    }

    private static DatagramPacket receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("nothing within 5 s on " + socket.getLocalSocketAddress(), e);
        }
        return packet;
    }
}
