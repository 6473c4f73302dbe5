package io.isthmus.fastpath.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class PacketIosTest {

    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(),
            0);

    @Test
    void opensAChannelWhenAskedForOne() {
        try (PacketIo io = PacketIos.bind(PacketIoKind.CHANNEL, ANY_LOOPBACK_PORT, false, 32, true)) {
            assertThat(io).isInstanceOf(DatagramPacketIo.class);
            assertThat(PacketIos.kindOf(io)).isEqualTo(PacketIoKind.CHANNEL);
            assertThat(io.localAddress().getPort()).isPositive();
        }
    }

    @Test
    void fallsBackToAChannelWhenTheNativeCallsAreUnavailable() {
        PacketIos.MmsgOpener unavailable = (local, reusePort, batch, offload) -> {
            throw new UnsupportedOperationException("not Linux (test)");
        };

        try (PacketIo io = PacketIos.bind(PacketIoKind.MMSG, ANY_LOOPBACK_PORT, false, 32, true, unavailable)) {
            assertThat(PacketIos.kindOf(io)).isEqualTo(PacketIoKind.CHANNEL);
        }
    }

    @Test
    void opensMmsgWhereTheNativeCallsLinkAndThatIsThePreferredKind() {
        if (!LinuxSockets.isAvailable()) {
            assertThat(PacketIoKind.preferred()).isEqualTo(PacketIoKind.CHANNEL);
            return;
        }
        assertThat(PacketIoKind.preferred()).isEqualTo(PacketIoKind.MMSG);
        try (PacketIo io = PacketIos.bind(PacketIoKind.MMSG, ANY_LOOPBACK_PORT, false, 32, true)) {
            assertThat(io).isInstanceOf(MmsgPacketIo.class);
            assertThat(((MmsgPacketIo) io).batch()).isEqualTo(32);
        }
    }

    @Test
    void aPortInUseIsAnErrorNotAFallback() {
        try (PacketIo taken = PacketIos.bind(PacketIoKind.CHANNEL, ANY_LOOPBACK_PORT, false, 32, true)) {
            assertThatThrownBy(() -> PacketIos.bind(PacketIoKind.preferred(), taken.localAddress(), false, 32, true))
                    .isInstanceOf(RuntimeException.class).isNotInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void parsesTheOptionsSpelling() {
        assertThat(PacketIoKind.parse("mmsg")).isEqualTo(PacketIoKind.MMSG);
        assertThat(PacketIoKind.parse("channel")).isEqualTo(PacketIoKind.CHANNEL);
        assertThatThrownBy(() -> PacketIoKind.parse("dpdk")).hasMessageContaining("mmsg or channel");
    }
}
