package io.isthmus.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4AddressesTest {

    @Test
    void parsesAndFormatsDottedQuads() {
        assertThat(Ipv4Addresses.parse("203.0.113.10")).isEqualTo(0xCB00710A);
        assertThat(Ipv4Addresses.format(0xCB00710A)).isEqualTo("203.0.113.10");
        assertThat(Ipv4Addresses.format(Ipv4Addresses.parse("255.255.255.255"))).isEqualTo("255.255.255.255");
    }

    @Test
    void refusesWhatIsNotADottedQuad() {
        for (String bad : new String[]{"1.2.3", "1.2.3.256", "a.b.c.d", "1..2.3", "1.2.3.4.5", ""}) {
            assertThatThrownBy(() -> Ipv4Addresses.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void parsesSocketAddresses() {
        assertThat(Ipv4Addresses.parseSocketAddress("127.0.0.1:40001").getPort()).isEqualTo(40001);
        assertThatThrownBy(() -> Ipv4Addresses.parseSocketAddress("127.0.0.1")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Addresses.parseSocketAddress("127.0.0.1:0")).isInstanceOf(
                IllegalArgumentException.class);
    }
}
