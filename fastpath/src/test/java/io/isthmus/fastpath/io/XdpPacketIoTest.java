package io.isthmus.fastpath.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AF_XDP receive on a real veth whose peer is in a network namespace of its own; needs root (as CI runs) and skips
 * where namespaces, veth or AF_XDP are not allowed.
 */
@Timeout(120)
class XdpPacketIoTest {

    private static final String PEER_NAMESPACE = "isthmus-xdp-" + ProcessHandle.current().pid();
    private static final String DEVICE = "ixdp" + ProcessHandle.current().pid() % 100_000;
    private static final String LOCAL = "10.251.7.1";
    private static final String PEER = "10.251.7.2";

    @BeforeEach
    void makeVethPair() throws Exception {
        assumeTrue(LinuxSockets.isAvailable(), "no FFM sockets here");
        assumeTrue("root".equals(System.getProperty("user.name")), "AF_XDP and BPF need root");
        cleanUp();
        assumeTrue(run("ip", "netns", "add", PEER_NAMESPACE) == 0, "cannot make network namespaces here");
        boolean made = run("ip", "link", "add", DEVICE, "type", "veth", "peer", "name", "p0", "netns",
                PEER_NAMESPACE) == 0 && run("ip", "addr", "add", LOCAL + "/30", "dev", DEVICE) == 0
                && run("ip", "link", "set", DEVICE, "up") == 0
                && run("ip", "-n", PEER_NAMESPACE, "addr", "add", PEER + "/30", "dev", "p0") == 0
                && run("ip", "-n", PEER_NAMESPACE, "link", "set", "p0", "up") == 0;
        assumeTrue(made, "cannot make a veth pair here");
    }

    @AfterEach
    void cleanUp() throws Exception {
        run("ip", "link", "del", DEVICE);
        run("ip", "netns", "del", PEER_NAMESPACE);
    }

    @Test
    void datagramsForTheDataPortArriveThroughTheRingWholeAndInOrder() throws Exception {
        MmsgPacketIo socket = MmsgPacketIo.bind(new InetSocketAddress(InetAddress.getByName(LOCAL), 0), false, 32,
                true, MmsgPacketIo.DEFAULT_MAX_DATAGRAM);
        XdpPacketIo xdp;
        try {
            xdp = XdpPacketIo.attach(socket, DEVICE);
        } catch (UnsupportedOperationException e) {
            socket.close();
            assumeTrue(false, "AF_XDP unavailable here: " + e.getMessage());
            return;
        }
        try (xdp) {
            // Given the program attached to the veth
            assertThat(output("ip", "link", "show", DEVICE)).contains("xdpgeneric");
            int port = xdp.localAddress().getPort();

            // When the peer sends 20 datagrams of different lengths to the data port
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                script.append("printf 'datagram-%d-%s' > /dev/udp/%s/%d; ".formatted(i, "x".repeat(i), LOCAL, port));
            }
            assertThat(run("ip", "netns", "exec", PEER_NAMESPACE, "bash", "-c", script.toString())).isZero();

            // Then each arrives whole and in order, through the AF_XDP ring, not the kernel's UDP socket
            List<String> received = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() < 20 && System.nanoTime() < deadline) {
                xdp.poll((buffer, offset, length) -> {
                    byte[] bytes = new byte[length];
                    buffer.get(offset, bytes);
                    received.add(new String(bytes, StandardCharsets.US_ASCII));
                }, 32);
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add("datagram-%d-%s".formatted(i, "x".repeat(i)));
            }
            assertThat(received).isEqualTo(expected);
            assertThat(xdp.receivedThroughXdp()).isEqualTo(20);
        }

        // And closing detaches the program
        assertThat(output("ip", "link", "show", DEVICE)).doesNotContain("xdpgeneric");
    }

    @Test
    void anUnknownDeviceIsRefusedWithTheReason() {
        // (runs after the veth pair was made: skipped with it where that is not allowed)
        try (MmsgPacketIo socket = MmsgPacketIo.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                false, 32, true, MmsgPacketIo.DEFAULT_MAX_DATAGRAM)) {
            assertThatThrownBy(() -> XdpPacketIo.attach(socket, "no-such-dev0"))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("no-such-dev0");
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return text;
    }
}
