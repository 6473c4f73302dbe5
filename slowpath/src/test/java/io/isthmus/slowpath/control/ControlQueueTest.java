package io.isthmus.slowpath.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ControlQueueTest {

    private record Received(byte[] bytes, int address, int port) {
    }

    /** Collects what a drain hands on, and how many batches ended. */
    private static final class Collector implements ControlQueue.Handler {
        final List<Received> messages = new ArrayList<>();
        int batches;

        @Override
        public void onMessage(ByteBuffer buffer, int offset, int length, int senderAddress, int senderPort) {
            byte[] bytes = new byte[length];
            buffer.get(offset, bytes);
            messages.add(new Received(bytes, senderAddress, senderPort));
        }

        @Override
        public void onBatchEnd() {
            batches++;
        }
    }

    private final ControlQueue queue = new ControlQueue(ControlQueue.MIN_CAPACITY);

    @Test
    void messagesComeOutInOrderWithTheirSenderAcrossManyWrapArounds() {
        // Given messages of varying length, many times the ring's size in total
        Collector collector = new Collector();
        int sent = 0;
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < 7; i++) {
                byte[] message = message(sent, 20 + (sent * 37) % 700);
                assertThat(queue.offer(ByteBuffer.wrap(message), 0, message.length, sent, sent & 0xFFFF, false))
                        .isTrue();
                sent++;
            }
            // When they are drained a few at a time
            while (queue.drain(collector, 3) > 0) {
                // drain
            }
        }

        // Then each one came out once, intact, in order, with its sender
        assertThat(collector.messages).hasSize(sent);
        for (int n = 0; n < sent; n++) {
            Received received = collector.messages.get(n);
            assertThat(received.bytes()).isEqualTo(message(n, 20 + (n * 37) % 700));
            assertThat(received.address()).isEqualTo(n);
            assertThat(received.port()).isEqualTo(n & 0xFFFF);
        }
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.usedBytes()).isZero();
    }

    @Test
    void aFullQueueRefusesPuntsButKeepsItsReserveForPriorityMessages() {
        byte[] punt = new byte[100];
        // When punts are offered until one is refused
        int accepted = 0;
        while (queue.offer(ByteBuffer.wrap(punt), 0, punt.length, 1, 1, false)) {
            accepted++;
        }

        // Then the ring never went past its size less the reserve
        assertThat(accepted).isPositive();
        assertThat(queue.usedBytes()).isLessThanOrEqualTo(queue.capacity() - queue.reserve());
        // And a priority message still fits, until the reserve is gone too
        int priority = 0;
        while (queue.offer(ByteBuffer.wrap(punt), 0, punt.length, 2, 2, true)) {
            priority++;
        }
        assertThat(priority).isPositive();
        assertThat(queue.usedBytes()).isLessThanOrEqualTo(queue.capacity());

        // When one batch is drained, its room is usable again
        Collector collector = new Collector();
        assertThat(queue.drain(collector, 10)).isEqualTo(10);
        assertThat(collector.batches).isEqualTo(1);
        assertThat(queue.offer(ByteBuffer.wrap(punt), 0, punt.length, 1, 1, false)).isTrue();
    }

    @Test
    void aMessageLargerThanTheRingIsRefusedNotSplit() {
        byte[] huge = new byte[ControlQueue.MIN_CAPACITY];

        assertThat(queue.offer(ByteBuffer.wrap(huge), 0, huge.length, 1, 1, true)).isFalse();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void theCapacityIsBoundedAndRoundedToAPowerOfTwo() {
        assertThat(new ControlQueue(100_000).capacity()).isEqualTo(131_072);
        assertThatThrownBy(() -> new ControlQueue(1024)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] message(int seed, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }
}
