package io.isthmus.fastpath.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The recvmmsg/sendmmsg I/O over real loopback sockets. */
class MmsgPacketIoTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int BATCH = 64;
    private static final long BOUND_NANOS = 5_000_000_000L;
    /** The one length of the packets meant to coalesce. */
    private static final int SAME = 100;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(LinuxSockets.isAvailable(), () -> "no FFM socket calls: " + LinuxSockets.unavailableReason());
    }

    @ParameterizedTest(name = "UDP offload {0}")
    @ValueSource(booleans = {true, false})
    void roundTripsABatchOf64DatagramsWithContentsIntact(boolean offload) {
        try (MmsgPacketIo a = bind(0, false, offload); MmsgPacketIo b = bind(0, false, offload)) {
            // Given 64 datagrams of different lengths and contents sent from a to b
            for (int i = 0; i < BATCH; i++) {
                assertThat(a.send(packet(i), 0, length(i), b.localAddress())).isTrue();
            }

            // When b receives them in one poll and echoes each from the buffer it was handed (queued, one sendmmsg)
            List<byte[]> atB = new ArrayList<>();
            pollUntil(b, BATCH, (buffer, offset, length) -> {
                atB.add(copy(buffer, offset, length));
                b.send(buffer, offset, length, a.localAddress());
            });
            List<byte[]> atA = new ArrayList<>();
            pollUntil(a, BATCH, (buffer, offset, length) -> atA.add(copy(buffer, offset, length)));

            // Then both ends saw all 64, in order and intact
            for (int i = 0; i < BATCH; i++) {
                byte[] expected = copy(packet(i), 0, length(i));
                assertThat(atB.get(i)).as("at b, datagram %d", i).isEqualTo(expected);
                assertThat(atA.get(i)).as("back at a, datagram %d", i).isEqualTo(expected);
            }
            assertThat(b.sent()).isEqualTo(BATCH);
            assertThat(b.sendDrops()).isZero();
        }
    }

    @Test
    void coalescesSameSizePacketsToOneDestinationIntoOneGsoSendAndReceivesThemCoalesced() throws Exception {
        try (MmsgPacketIo a = bind(0, false, true);
                MmsgPacketIo b = bind(0, false, true);
                DatagramSocket plain = new DatagramSocket(0, LOOPBACK)) {
            assumeTrue(b.sendsCoalesced() && a.receivesCoalesced(), "kernel without UDP GSO/GRO");
            plain.setSoTimeout(5_000);
            // Given 64 packets of one length sent from a to b, one datagram each
            for (int i = 0; i < BATCH; i++) {
                a.send(packet(i, SAME), 0, SAME, b.localAddress());
            }

            // When b echoes them back to a
            pollUntil(b, BATCH, (buffer, offset, length) -> b.send(buffer, offset, length, a.localAddress()));

            // Then they left b as one GSO message of 64 segments
            assertThat(b.sent()).isEqualTo(BATCH);
            assertThat(b.sentMessages()).isEqualTo(1);

            // And a, with GRO, got fewer datagrams than packets, yet every packet intact and in order
            List<byte[]> atA = new ArrayList<>();
            pollUntil(a, BATCH, (buffer, offset, length) -> atA.add(copy(buffer, offset, length)));
            assertThat(a.receivedDatagrams()).isLessThan(BATCH);
            for (int i = 0; i < BATCH; i++) {
                assertThat(atA.get(i)).as("datagram %d", i).isEqualTo(copy(packet(i, SAME), 0, SAME));
            }

            // And a receiver without GRO gets the 64 datagrams one by one, as sent
            for (int i = 0; i < BATCH; i++) {
                a.send(packet(i, SAME), 0, SAME, b.localAddress());
            }
            pollUntil(b, BATCH, (buffer, offset, length) -> b.send(buffer, offset, length,
                    (InetSocketAddress) plain.getLocalSocketAddress()));
            for (int i = 0; i < BATCH; i++) {
                DatagramPacket datagram = new DatagramPacket(new byte[65_536], 65_536);
                plain.receive(datagram);
                assertThat(copy(ByteBuffer.wrap(datagram.getData()), 0, datagram.getLength())).as("datagram %d", i)
                        .isEqualTo(copy(packet(i, SAME), 0, SAME));
            }
        }
    }

    @ParameterizedTest(name = "UDP offload {0}")
    @ValueSource(booleans = {true, false})
    void aHandlerThatPrefetchesIsShownEachBatchAheadInTheOrderItThenGetsIt(boolean offload) {
        try (MmsgPacketIo a = bind(0, false, offload); MmsgPacketIo b = bind(0, false, offload)) {
            // Given 64 packets of one length from a to b (with offload, b receives them coalesced)
            for (int i = 0; i < BATCH; i++) {
                a.send(packet(i, SAME), 0, SAME, b.localAddress());
            }

            // When b polls them with a handler that looks each batch up ahead
            Lookahead handler = new Lookahead();
            long deadline = System.nanoTime() + BOUND_NANOS;
            while (handler.handed.size() < BATCH && System.nanoTime() < deadline) {
                b.poll(handler, BATCH - handler.handed.size());
            }

            // Then it saw every packet ahead, bytes for bytes, before it was handed any packet of that batch
            assertThat(handler.handed).hasSize(BATCH);
            assertThat(handler.shown).hasSize(BATCH);
            for (int i = 0; i < BATCH; i++) {
                assertThat(handler.shown.get(i)).as("packet %d shown", i).isEqualTo(copy(packet(i, SAME), 0, SAME));
                assertThat(handler.handed.get(i)).as("packet %d handed", i).isEqualTo(handler.shown.get(i));
            }
            assertThat(handler.handedBeforeItsBatchWasShown).isZero();
        }
    }

    @Test
    void theRingShowsAPrefetchingHandlerItsBatchAheadToo() {
        RingPacketIo ring = new RingPacketIo(16, 128, new InetSocketAddress(LOOPBACK, 1));
        for (int i = 0; i < 10; i++) {
            ring.offer(packet(i), 0, length(i));
        }
        Lookahead handler = new Lookahead();
        assertThat(ring.poll(handler, 8)).isEqualTo(8);
        assertThat(ring.poll(handler, 8)).isEqualTo(2);
        assertThat(handler.shown).hasSize(10);
        assertThat(handler.handed).containsExactlyElementsOf(handler.shown);
        assertThat(handler.handedBeforeItsBatchWasShown).isZero();
    }

    /** Records what it is shown ahead and what it is handed, and whether a batch was handed before it was shown. */
    private static final class Lookahead implements PacketHandler {
        final List<byte[]> shown = new ArrayList<>();
        final List<byte[]> handed = new ArrayList<>();
        int handedBeforeItsBatchWasShown;
        private boolean batchShown;

        @Override
        public boolean prefetches() {
            return true;
        }

        @Override
        public void prefetch(ByteBuffer buffer, int offset, int length) {
            batchShown = false;
            shown.add(copy(buffer, offset, length));
        }

        @Override
        public void prefetched() {
            batchShown = true;
        }

        @Override
        public void onPacket(ByteBuffer buffer, int offset, int length) {
            if (!batchShown || handed.size() >= shown.size()) {
                handedBeforeItsBatchWasShown++;
            }
            handed.add(copy(buffer, offset, length));
        }
    }

    @ParameterizedTest(name = "UDP offload {0}")
    @ValueSource(booleans = {true, false})
    void aHandlerMayGrowAPacketInPlaceWithoutTouchingTheNextOne(boolean offload) {
        try (MmsgPacketIo a = bind(0, false, offload); MmsgPacketIo b = bind(0, false, offload)) {
            // Given 64 packets of one length from a to b
            for (int i = 0; i < BATCH; i++) {
                a.send(packet(i, SAME), 0, SAME, b.localAddress());
            }

            // When b's handler appends 100 bytes to each (as ESP would) before it reads the next, and sends it on
            int grown = 100;
            pollUntil(b, BATCH, (buffer, offset, length) -> {
                assertThat(buffer.capacity() - offset - length).isGreaterThanOrEqualTo(
                        MmsgPacketIo.STAGING_TAILROOM);
                for (int k = 0; k < grown; k++) {
                    buffer.put(offset + length + k, (byte) 0xEE);
                }
                b.send(buffer, offset, length + grown, a.localAddress());
            });

            // Then every packet arrives grown, its own bytes intact
            List<byte[]> atA = new ArrayList<>();
            pollUntil(a, BATCH, (buffer, offset, length) -> atA.add(copy(buffer, offset, length)));
            for (int i = 0; i < BATCH; i++) {
                byte[] expected = Arrays.copyOf(copy(packet(i, SAME), 0, SAME), SAME + grown);
                Arrays.fill(expected, SAME, SAME + grown, (byte) 0xEE);
                assertThat(atA.get(i)).as("datagram %d", i).isEqualTo(expected);
            }
        }
    }

    @Test
    void aPacketForAnotherDestinationOrOfAnotherLengthStartsItsOwnMessage() throws Exception {
        try (MmsgPacketIo a = bind(0, false, true);
                MmsgPacketIo b = bind(0, false, true);
                DatagramSocket other = new DatagramSocket(0, LOOPBACK)) {
            assumeTrue(b.sendsCoalesced(), "kernel without UDP GSO");
            other.setSoTimeout(5_000);
            InetSocketAddress otherAddress = (InetSocketAddress) other.getLocalSocketAddress();
            // Given 8 packets of one length
            for (int i = 0; i < 8; i++) {
                a.send(packet(i, SAME), 0, SAME, b.localAddress());
            }

            // When b sends packets 0-2 to a, 3 to the other socket, 4-5 to a, 6 shortened to a, 7 to a
            int[] seen = {0};
            pollUntil(b, 8, (buffer, offset, length) -> {
                int i = seen[0]++;
                if (i == 3) {
                    b.send(buffer, offset, length, otherAddress);
                } else {
                    b.send(buffer, offset, i == 6 ? length - 10 : length, a.localAddress());
                }
            });

            // Then four messages went: [0,1,2] [3] [4,5,6 (short, last)] [7]
            assertThat(b.sent()).isEqualTo(8);
            assertThat(b.sentMessages()).isEqualTo(4);
            DatagramPacket datagram = new DatagramPacket(new byte[65_536], 65_536);
            other.receive(datagram);
            assertThat(copy(ByteBuffer.wrap(datagram.getData()), 0, datagram.getLength()))
                    .isEqualTo(copy(packet(3, SAME), 0, SAME));
            List<byte[]> atA = new ArrayList<>();
            pollUntil(a, 7, (buffer, offset, length) -> atA.add(copy(buffer, offset, length)));
            assertThat(atA).extracting(p -> (int) p[0]).containsExactly(0, 1, 2, 4, 5, 6, 7);
            assertThat(atA.get(5)).hasSize(SAME - 10);
            assertThat(atA.get(6)).isEqualTo(copy(packet(7, SAME), 0, SAME));
        }
    }

    @ParameterizedTest(name = "UDP offload {0}")
    @ValueSource(booleans = {true, false})
    void allocatesNothingPerPacket(boolean offload) {
        try (MmsgPacketIo a = bind(0, false, offload); MmsgPacketIo b = bind(0, false, offload)) {
            Echo echo = new Echo(b, a.localAddress());
            Count count = new Count();
            ByteBuffer[] packets = new ByteBuffer[BATCH];
            // with offload, packets of one length: b's echoes coalesce into GSO sends, a receives them coalesced
            int[] lengths = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                lengths[i] = offload ? SAME : length(i);
                packets[i] = packet(i, lengths[i]);
            }
            // Given the loop warmed up (interpreted and C1-compiled code may allocate; C2's does not)
            int warmUp = exchange(a, b, packets, lengths, echo, count, 2_000);

            // When more batches go a → b → a, in rounds of 1,000 (128,000 packets through the two sockets)
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                    .getThreadMXBean();
            List<Long> rounds = new ArrayList<>();
            int exchanged = 0;
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 5 && best >= 16 * 1024; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                exchanged += exchange(a, b, packets, lengths, echo, count, 1_000);
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                rounds.add(allocated);
                best = Math.min(best, allocated);
            }

            // Then every packet made the round trip, intact, and a round allocated at most a small fixed amount (the
            // steady state is 0; one 16-byte object a packet would be 2 MiB a round)
            assertThat(warmUp).isEqualTo(2_000 * BATCH);
            assertThat(exchanged).isEqualTo(rounds.size() * 1_000 * BATCH);
            assertThat(echo.corrupted + count.corrupted).isZero();
            assertThat(best).as("bytes allocated per round of 128,000 packets: %s", rounds).isLessThan(16 * 1024);
        }
    }

    /** a sends a batch (each at once, outside a poll), b echoes it (one sendmmsg), a receives it: packets back. */
    private static int exchange(MmsgPacketIo a, MmsgPacketIo b, ByteBuffer[] packets, int[] lengths, Echo echo,
            Count count, int iterations) {
        int total = 0;
        for (int n = 0; n < iterations; n++) {
            for (int i = 0; i < BATCH; i++) {
                a.send(packets[i], 0, lengths[i], b.localAddress());
            }
            echo.received = 0;
            long deadline = System.nanoTime() + BOUND_NANOS;
            while (echo.received < BATCH && System.nanoTime() < deadline) {
                b.poll(echo, BATCH);
            }
            count.received = 0;
            while (count.received < BATCH && System.nanoTime() < deadline) {
                a.poll(count, BATCH);
            }
            total += count.received;
        }
        return total;
    }

    @Test
    void twoSocketsOnOnePortWithReusePortBothReceiveFromSendersOnDifferentPorts() throws Exception {
        try (MmsgPacketIo first = bind(0, true, true);
                MmsgPacketIo second = bind(first.localAddress().getPort(), true, true)) {
            assertThat(second.localAddress().getPort()).isEqualTo(first.localAddress().getPort());
            assertReusePortSpreads(first, second);
        }
    }

    @Test
    void datagramChannelsShareAPortTheSameWay() throws Exception {
        try (DatagramPacketIo first = DatagramPacketIo.bind(new InetSocketAddress(LOOPBACK, 0), true);
                DatagramPacketIo second = DatagramPacketIo.bind(first.localAddress(), true)) {
            assertReusePortSpreads(first, second);
        }
    }

    /** The kernel hashes each sender's 4-tuple to one socket: 32 source ports all on one socket is 2^-31 likely. */
    private static void assertReusePortSpreads(PacketIo first, PacketIo second) throws Exception {
        // Given 32 senders, each on its own source port, sending one datagram to the shared port
        int senders = 32;
        List<DatagramSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < senders; i++) {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                sockets.add(socket);
                socket.send(new DatagramPacket(new byte[]{(byte) i}, 1, first.localAddress()));
            }
            // When both sockets are polled
            Count atFirst = new Count();
            Count atSecond = new Count();
            long deadline = System.nanoTime() + BOUND_NANOS;
            while (atFirst.received + atSecond.received < senders && System.nanoTime() < deadline) {
                first.poll(atFirst, BATCH);
                second.poll(atSecond, BATCH);
            }
            // Then each got some and together all
            assertThat(atFirst.received + atSecond.received).isEqualTo(senders);
            assertThat(atFirst.received).isPositive();
            assertThat(atSecond.received).isPositive();
        } finally {
            sockets.forEach(DatagramSocket::close);
        }
    }

    @Test
    void aSendOutsideAPollGoesOutAtOnce() throws Exception {
        try (MmsgPacketIo io = bind(0, false, true); DatagramSocket peer = new DatagramSocket(0, LOOPBACK)) {
            peer.setSoTimeout(5_000);
            ByteBuffer heap = ByteBuffer.wrap(new byte[]{9, 8, 7, 6});

            assertThat(io.send(heap, 1, 2, (InetSocketAddress) peer.getLocalSocketAddress())).isTrue();

            DatagramPacket received = new DatagramPacket(new byte[16], 16);
            peer.receive(received);
            assertThat(received.getLength()).isEqualTo(2);
            assertThat(received.getData()[0]).isEqualTo((byte) 8);
            assertThat(heap.position()).isZero();
            assertThat(heap.limit()).isEqualTo(heap.capacity());
        }
    }

    @Test
    void refusesUnsendableDatagramsAndDropsTruncatedOnes() throws Exception {
        try (MmsgPacketIo io = MmsgPacketIo.bind(new InetSocketAddress(LOOPBACK, 0), false, 8, true, 100);
                DatagramSocket peer = new DatagramSocket(0, LOOPBACK)) {
            // a destination without an IPv4 address, and a datagram longer than a slot, are refused
            assertThat(io.send(ByteBuffer.allocate(10), 0, 10, InetSocketAddress.createUnresolved("nowhere", 9)))
                    .isFalse();
            assertThat(io.send(ByteBuffer.allocate(200), 0, 200, io.localAddress())).isFalse();
            assertThat(io.sendErrors()).isEqualTo(2);

            // a datagram longer than a slot is dropped and counted, the next one delivered
            peer.send(new DatagramPacket(new byte[200], 200, io.localAddress()));
            peer.send(new DatagramPacket(new byte[50], 50, io.localAddress()));
            List<Integer> lengths = new ArrayList<>();
            long deadline = System.nanoTime() + BOUND_NANOS;
            while (lengths.isEmpty() && System.nanoTime() < deadline) {
                io.poll((buffer, offset, length) -> lengths.add(length), 8);
            }
            assertThat(lengths).containsExactly(50);
            assertThat(io.truncated()).isEqualTo(1);
        }
    }

    private static MmsgPacketIo bind(int port, boolean reusePort, boolean offload) {
        return MmsgPacketIo.bind(new InetSocketAddress(LOOPBACK, port), reusePort, BATCH, offload,
                MmsgPacketIo.DEFAULT_MAX_DATAGRAM);
    }

    private static void pollUntil(PacketIo io, int wanted, PacketHandler handler) {
        int[] received = {0};
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (received[0] < wanted && System.nanoTime() < deadline) {
            io.poll((buffer, offset, length) -> {
                received[0]++;
                handler.onPacket(buffer, offset, length);
            }, wanted - received[0]);
        }
        assertThat(received[0]).isEqualTo(wanted);
    }

    private static int length(int i) {
        return 20 + i * 7;
    }

    private static byte expected(int i, int k) {
        return (byte) (i * 31 + k);
    }

    private static ByteBuffer packet(int i) {
        return packet(i, length(i));
    }

    private static ByteBuffer packet(int i, int length) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(length);
        buffer.put(0, (byte) i);
        for (int k = 1; k < length; k++) {
            buffer.put(k, expected(i, k));
        }
        return buffer;
    }

    /** Whether a received datagram is packet {@code i} (its first byte), byte for byte. */
    private static boolean intact(ByteBuffer buffer, int offset, int length) {
        int i = buffer.get(offset);
        if (i < 0 || i >= BATCH || length != length(i) && length != SAME) {
            return false;
        }
        for (int k = 1; k < length; k++) {
            if (buffer.get(offset + k) != expected(i, k)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] copy(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes);
        return bytes;
    }

    /** Checks and counts; allocates nothing. */
    private static final class Count implements PacketHandler {
        int received;
        int corrupted;

        @Override
        public void onPacket(ByteBuffer buffer, int offset, int length) {
            received++;
            if (!intact(buffer, offset, length)) {
                corrupted++;
            }
        }
    }

    /** Checks, counts and sends each packet back from the receive slot; allocates nothing. */
    private static final class Echo implements PacketHandler {
        private final MmsgPacketIo io;
        private final InetSocketAddress to;
        int received;
        int corrupted;

        Echo(MmsgPacketIo io, InetSocketAddress to) {
            this.io = io;
            this.to = to;
        }

        @Override
        public void onPacket(ByteBuffer buffer, int offset, int length) {
            received++;
            if (!intact(buffer, offset, length)) {
                corrupted++;
            }
            io.send(buffer, offset, length, to);
        }
    }
}
