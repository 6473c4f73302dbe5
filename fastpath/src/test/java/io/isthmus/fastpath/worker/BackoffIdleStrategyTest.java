package io.isthmus.fastpath.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.isthmus.fastpath.io.LinuxSockets;
import io.isthmus.fastpath.io.MmsgPacketIo;

@Timeout(60)
class BackoffIdleStrategyTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @Test
    void anIdleWorkerWaitingInTheKernelWakesWhenAPacketArrives() throws Exception {
        assumeTrue(LinuxSockets.isAvailable(), "no recvmmsg through FFM here");
        try (MmsgPacketIo io = MmsgPacketIo.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false,
                8, false, 2048); DatagramSocket peer = new DatagramSocket()) {
            // Given a strategy that, past its spins, would wait an hour for the socket
            BackoffIdleStrategy strategy = BackoffIdleStrategy.onSocket(io.readinessFd(), 1, HOUR, HOUR);
            strategy.idle(); // the one spin

            // When a worker idles on it and a datagram arrives
            CompletableFuture<Void> idle = CompletableFuture.runAsync(strategy::idle);
            assertThatThrownBy(() -> idle.get(100, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            peer.send(new DatagramPacket(new byte[]{1, 2, 3}, 3, io.localAddress()));

            // Then it wakes (long before the hour), and the datagram is there to poll
            idle.get(30, TimeUnit.SECONDS);
            assertThat(io.poll((buffer, offset, length) -> {
            }, 8)).isEqualTo(1);
        }
    }

    @Test
    void withNothingToReadItReturnsAfterItsWait() {
        assumeTrue(LinuxSockets.isAvailable(), "no recvmmsg through FFM here");
        try (MmsgPacketIo io = MmsgPacketIo.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false,
                8, false, 2048)) {
            BackoffIdleStrategy strategy = BackoffIdleStrategy.onSocket(io.readinessFd(), 0, 1_000_000, 2_000_000);
            for (int i = 0; i < 5; i++) {
                strategy.idle(0);
            }
            strategy.idle(1); // work resets it
            assertThat(io.poll((buffer, offset, length) -> {
            }, 8)).isZero();
        }
    }
}
