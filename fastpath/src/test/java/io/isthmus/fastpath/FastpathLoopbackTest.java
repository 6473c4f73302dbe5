package io.isthmus.fastpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.PuntReason;
import io.isthmus.control.Rule;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.PuntFlyweight;
import io.isthmus.control.message.ReinjectFlyweight;
import io.isthmus.fastpath.testing.ReferencePackets;

/** A real fastpath on loopback UDP, its slowpath played by a test socket. */
class FastpathLoopbackTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void registersPuntsAMissAndForwardsAfterInstallAndReinject() throws Exception {
        try (DatagramSocket slowpath = socket(); DatagramSocket sink = socket(); DatagramSocket sender = socket()) {
            // Given a fastpath told to report to the test's slowpath socket
            FastpathOptions options = FastpathOptions.of(7, LOOPBACK, 0,
                    (InetSocketAddress) slowpath.getLocalSocketAddress()).withHelloInterval(Duration.ofMillis(100));
            try (Fastpath fastpath = Fastpath.start(options)) {
                // Then it says HELLO
                DatagramPacket hello = receive(slowpath);
                ByteBuffer helloBuffer = ByteBuffer.wrap(hello.getData(), 0, hello.getLength());
                assertThat(ControlProtocol.type(helloBuffer, 0)).isEqualTo(ControlProtocol.HELLO);
                assertThat(HelloFlyweight.dataPort(helloBuffer, 0)).isEqualTo(fastpath.dataAddress().getPort());
                SocketAddress fastpathControl = hello.getSocketAddress();

                // When a packet of an unknown flow arrives
                byte[] packet = ReferencePackets.udp("10.0.0.5", 40001, "198.51.100.7", 53).vni(100).build();
                sender.send(new DatagramPacket(packet, packet.length, fastpath.dataAddress()));

                // Then it is punted (skipping HELLOs)
                ByteBuffer punt = receiveType(slowpath, ControlProtocol.PUNT);
                assertThat(PuntFlyweight.reason(punt, 0)).isEqualTo(PuntReason.MISS);
                FlowKey key = PuntFlyweight.key(punt, 0);

                // When the slowpath installs a rule and re-injects the packet
                ByteBuffer message = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
                int length = InstallFlyweight.encode(message, 0, 7, 1, List.of(Rule.of(key,
                        new Action.RewriteSource(Ipv4Addresses.parse("203.0.113.10"), 20000), new Action.SetVni(200),
                        Action.SetNextHop.of((InetSocketAddress) sink.getLocalSocketAddress()))));
                slowpath.send(new DatagramPacket(message.array(), length, fastpathControl));
                length = ReinjectFlyweight.encode(message, 0, 7, 2, punt,
                        PuntFlyweight.PACKET_OFFSET, PuntFlyweight.packetLength(punt, 0));
                slowpath.send(new DatagramPacket(message.array(), length, fastpathControl));

                // Then the translated packet reaches the next hop
                DatagramPacket out = receive(sink);
                ReferencePackets.Decoded decoded = ReferencePackets.decode(out.getData(), out.getLength());
                assertThat(decoded.vni()).isEqualTo(200);
                assertThat(decoded.src()).isEqualTo("203.0.113.10");
                assertThat(decoded.ipChecksumValid()).isTrue();
                assertThat(decoded.l4ChecksumValid()).isTrue();

                // And the next packet of the flow goes straight through
                sender.send(new DatagramPacket(packet, packet.length, fastpath.dataAddress()));
                assertThat(ReferencePackets.decode(receive(sink).getData()).srcPort()).isEqualTo(20000);
            }
        }
    }

    private static DatagramSocket socket() throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static DatagramPacket receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        return packet;
    }

    private static ByteBuffer receiveType(DatagramSocket socket, int type) throws Exception {
        for (int i = 0; i < 100; i++) {
            DatagramPacket packet = receive(socket);
            ByteBuffer buffer = ByteBuffer.wrap(packet.getData(), 0, packet.getLength()).slice();
            if (ControlProtocol.type(buffer, 0) == type) {
                return buffer;
            }
        }
        throw new AssertionError("no message of type " + type);
    }
}
