package io.isthmus.control.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.isthmus.control.FlowTimeouts;

/** TIMEOUTS: what it carries, and how it refuses a timeout under its RFC minimum. */
class TimeoutsMessageTest {

    private final ByteBuffer buffer = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);

    @Test
    void timeoutsRoundTripInSecondsUpTo32BitsUnsigned() {
        // Given timeouts at their minimums but for a UDP timeout of 2^32 - 1 s
        FlowTimeouts timeouts = new FlowTimeouts(7_440, 240, FlowTimeouts.MAX, 60, 1);

        // When encoded
        int length = TimeoutsFlyweight.encode(buffer, 0, 3, 4, timeouts);

        // Then it is a valid TIMEOUTS of 32 bytes for fastpath 3 that decodes back equal
        assertThat(length).isEqualTo(TimeoutsFlyweight.LENGTH).isEqualTo(32);
        assertThat(ControlProtocol.type(buffer, 0)).isEqualTo(ControlProtocol.TIMEOUTS).isEqualTo(17);
        assertThat(ControlProtocol.typeName(ControlProtocol.TIMEOUTS)).isEqualTo("TIMEOUTS");
        assertThat(ControlProtocol.fastpathId(buffer, 0)).isEqualTo(3);
        assertThat(TimeoutsFlyweight.isValid(buffer, 0, length)).isTrue();
        assertThat(TimeoutsFlyweight.decode(buffer, 0)).isEqualTo(timeouts);
        assertThat(TimeoutsFlyweight.udp(buffer, 0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(buffer.getInt(TimeoutsFlyweight.TCP_TRANSITORY_OFFSET)).isEqualTo(240);
    }

    @Test
    void aTimeoutUnderItsRfcMinimumMakesTheMessageInvalid() {
        // Given the defaults on the wire
        TimeoutsFlyweight.encode(buffer, 0, 1, 1, FlowTimeouts.DEFAULTS);
        int[] offsets = {TimeoutsFlyweight.TCP_ESTABLISHED_OFFSET, TimeoutsFlyweight.TCP_TRANSITORY_OFFSET,
                TimeoutsFlyweight.UDP_OFFSET, TimeoutsFlyweight.ICMP_OFFSET, TimeoutsFlyweight.OTHER_OFFSET};
        long[] minimums = {FlowTimeouts.MIN_TCP_ESTABLISHED, FlowTimeouts.MIN_TCP_TRANSITORY, FlowTimeouts.MIN_UDP,
                FlowTimeouts.MIN_ICMP, FlowTimeouts.MIN_OTHER};

        for (int i = 0; i < offsets.length; i++) {
            int saved = buffer.getInt(offsets[i]);
            // When one timeout is its minimum, Then the message is valid; one second less, or zero, and it is not
            buffer.putInt(offsets[i], (int) minimums[i]);
            assertThat(TimeoutsFlyweight.isValid(buffer, 0, TimeoutsFlyweight.LENGTH)).as("field %d at min", i)
                    .isTrue();
            buffer.putInt(offsets[i], (int) minimums[i] - 1);
            assertThat(TimeoutsFlyweight.isValid(buffer, 0, TimeoutsFlyweight.LENGTH)).as("field %d under", i)
                    .isFalse();
            buffer.putInt(offsets[i], 0);
            assertThat(TimeoutsFlyweight.isValid(buffer, 0, TimeoutsFlyweight.LENGTH)).as("field %d zero", i)
                    .isFalse();
            buffer.putInt(offsets[i], saved);
        }
        assertThat(TimeoutsFlyweight.isValid(buffer, 0, TimeoutsFlyweight.LENGTH - 1)).isFalse();
    }

    @Test
    void theDefaultsAreTheRfcMinimumsButFiveMinutesForUdpAndOtherProtocols() {
        assertThat(FlowTimeouts.DEFAULTS).isEqualTo(new FlowTimeouts(7_440, 240, 300, 60, 300));
        assertThatThrownBy(() -> new FlowTimeouts(7_439, 240, 300, 60, 300))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlowTimeouts(7_440, 240, 119, 60, 300))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlowTimeouts(7_440, 240, 300, 60, FlowTimeouts.MAX + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTimeoutsFlagIsABitOfItsOwn() {
        int others = HelloFlyweight.REINJECT_BATCH | HelloFlyweight.INSTALL_SA | HelloFlyweight.INSTALL_ROUTE
                | HelloFlyweight.ROUTE_BATCH;

        HelloFlyweight.encode(buffer, 0, 1, 1, 0x7F000001, 4789, others | HelloFlyweight.TIMEOUTS);

        assertThat(HelloFlyweight.TIMEOUTS).isEqualTo(1 << 5);
        assertThat(HelloFlyweight.TIMEOUTS & others).isZero();
        assertThat(HelloFlyweight.flags(buffer, 0) & HelloFlyweight.TIMEOUTS).isEqualTo(HelloFlyweight.TIMEOUTS);
    }
}
