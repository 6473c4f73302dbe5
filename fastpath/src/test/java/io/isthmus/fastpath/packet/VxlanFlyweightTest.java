package io.isthmus.fastpath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.isthmus.fastpath.testing.ReferencePackets;

class VxlanFlyweightTest {

    private final VxlanFlyweight vxlan = new VxlanFlyweight();

    @Test
    void readsTheFlagsAndVniOfAReferenceHeader() {
        // Given a reference VXLAN payload on the largest VNI
        byte[] packet = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).vni(0xFF_FFFF).build();

        // When wrapped
        vxlan.wrap(ByteBuffer.wrap(packet), 0);

        // Then the I flag is set and the VNI reads back
        assertThat(vxlan.isVniValid()).isTrue();
        assertThat(vxlan.vni()).isEqualTo(0xFF_FFFF);
    }

    @Test
    void aHeaderWithoutTheIFlagIsNotValid() {
        // Given a header with only reserved flags set
        byte[] packet = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).vxlanFlags(0x80).build();

        // When wrapped, Then the VNI is not valid
        assertThat(vxlan.wrap(ByteBuffer.wrap(packet), 0).isVniValid()).isFalse();
    }

    @Test
    void settingTheVniKeepsTheReservedByte() {
        // Given a header whose last reserved byte is non-zero
        byte[] bytes = HexFormat.of().parseHex("08000000000064ab");

        // When the VNI changes
        vxlan.wrap(ByteBuffer.wrap(bytes), 0).vni(200);

        // Then only the VNI bytes changed
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("080000000000c8ab");
    }

    @Test
    void resetWritesACleanHeader() {
        // Given garbage
        byte[] bytes = HexFormat.of().parseHex("ffffffffffffffff");

        // When reset to VNI 0x123456
        vxlan.wrap(ByteBuffer.wrap(bytes), 0).reset(0x123456);

        // Then it is the RFC 7348 layout
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("0800000012345600");
    }
}
