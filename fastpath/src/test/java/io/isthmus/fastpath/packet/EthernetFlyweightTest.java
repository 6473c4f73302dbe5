package io.isthmus.fastpath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.isthmus.fastpath.testing.ReferencePackets;

class EthernetFlyweightTest {

    private final EthernetFlyweight ethernet = new EthernetFlyweight();

    @Test
    void readsTheFieldsOfAReferenceFrame() {
        // Given a VXLAN payload whose inner frame the reference encoder built
        byte[] packet = ReferencePackets.udp("10.0.0.1", 1, "10.0.0.2", 2).build();

        // When the flyweight wraps the inner frame
        ethernet.wrap(ByteBuffer.wrap(packet), VxlanFlyweight.HEADER_LENGTH);

        // Then it reads the MACs and EtherType where the encoder put them
        assertThat(ethernet.dstMac()).isEqualTo(0x02_00_00_00_00_02L);
        assertThat(ethernet.srcMac()).isEqualTo(0x02_00_00_00_00_01L);
        assertThat(ethernet.etherType()).isEqualTo(EthernetFlyweight.ETHER_TYPE_IPV4);
    }

    @Test
    void writesFieldsInPlaceBigEndian() {
        // Given an empty buffer
        byte[] bytes = new byte[EthernetFlyweight.HEADER_LENGTH];

        // When every field is written
        ethernet.wrap(ByteBuffer.wrap(bytes), 0).dstMac(0xAABB_CCDD_EEFFL).srcMac(0x1122_3344_5566L)
                .etherType(EthernetFlyweight.ETHER_TYPE_IPV6);

        // Then the bytes are in network order
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("aabbccddeeff11223344556686dd");
    }
}
