package io.isthmus.control.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FastpathStats;
import io.isthmus.control.FlowKey;
import io.isthmus.control.PuntReason;
import io.isthmus.control.Rule;

class ControlProtocolTest {

    private final ByteBuffer buffer = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
    private final FlowKey key = new FlowKey(0xABCDEF, FlowKey.TCP, 0x0A000001, 0xC0A80001, 65535, 1);

    @Test
    void helloCarriesIdAndDataEndpoint() {
        // When a HELLO is encoded
        int length = HelloFlyweight.encode(buffer, 0, 42, 9, 0x7F000001, 40100);

        // Then header and body decode back, in big-endian with the magic first
        assertThat(length).isEqualTo(HelloFlyweight.LENGTH);
        assertThat(buffer.get(0)).isEqualTo((byte) 'I');
        assertThat(buffer.get(1)).isEqualTo((byte) 'S');
        assertThat(ControlProtocol.isValidHeader(buffer, 0, length)).isTrue();
        assertThat(ControlProtocol.type(buffer, 0)).isEqualTo(ControlProtocol.HELLO);
        assertThat(ControlProtocol.fastpathId(buffer, 0)).isEqualTo(42);
        assertThat(ControlProtocol.sequence(buffer, 0)).isEqualTo(9);
        assertThat(HelloFlyweight.dataAddress(buffer, 0)).isEqualTo(0x7F000001);
        assertThat(HelloFlyweight.dataPort(buffer, 0)).isEqualTo(40100);
    }

    @Test
    void anotherVersionOrMagicIsNotValid() {
        HelloFlyweight.encode(buffer, 0, 1, 1, 0, 0);
        buffer.put(ControlProtocol.VERSION_OFFSET, (byte) 2);
        assertThat(ControlProtocol.isValidHeader(buffer, 0, HelloFlyweight.LENGTH)).isFalse();

        HelloFlyweight.encode(buffer, 0, 1, 1, 0, 0);
        buffer.put(ControlProtocol.MAGIC_OFFSET, (byte) 0);
        assertThat(ControlProtocol.isValidHeader(buffer, 0, HelloFlyweight.LENGTH)).isFalse();

        assertThat(ControlProtocol.isValidHeader(buffer, 0, 11)).isFalse();
    }

    @Test
    void puntCarriesReasonKeyAndPacket() {
        // Given a packet at an offset of another buffer
        ByteBuffer packet = ByteBuffer.allocate(64);
        for (int i = 0; i < 64; i++) {
            packet.put(i, (byte) i);
        }

        // When punted
        int length = PuntFlyweight.encode(buffer, 0, 3, 77, PuntReason.MISS, key.high(), key.low(), packet, 10,
                20);

        // Then everything decodes back
        assertThat(PuntFlyweight.isValid(buffer, 0, length)).isTrue();
        assertThat(PuntFlyweight.reason(buffer, 0)).isEqualTo(PuntReason.MISS);
        assertThat(PuntFlyweight.key(buffer, 0)).isEqualTo(key);
        assertThat(PuntFlyweight.packetLength(buffer, 0)).isEqualTo(20);
        assertThat(buffer.get(PuntFlyweight.PACKET_OFFSET)).isEqualTo((byte) 10);
        assertThat(buffer.get(PuntFlyweight.PACKET_OFFSET + 19)).isEqualTo((byte) 29);
        assertThat(PuntFlyweight.isValid(buffer, 0, length - 1)).isFalse();
    }

    @Test
    void installRoundTripsEveryActionType() {
        // Given rules using every primitive
        List<Rule> rules = List.of(
                Rule.of(key, new Action.RewriteSource(0xCB00710A, 20000), new Action.SetVni(200),
                        new Action.DecrementTtl(), new Action.SetNextHop(0x7F000001, 40001), new Action.Count()),
                Rule.of(key.reversed(200), new Action.RewriteDestination(0x0A000001, 65535), new Action.Drop()));

        // When encoded and decoded
        int length = InstallFlyweight.encode(buffer, 0, 5, 6, rules);

        // Then they come back equal and the length is predicted
        assertThat(length).isEqualTo(InstallFlyweight.length(rules));
        assertThat(InstallFlyweight.decode(buffer, 0, length)).isEqualTo(rules);
    }

    @Test
    void aTruncatedInstallIsRejectedWithoutVisitingAnyRule() {
        // Given an INSTALL of two rules cut short in the second
        List<Rule> rules = List.of(Rule.of(key, new Action.Count()),
                Rule.of(key.reversed(1), new Action.SetNextHop(1, 2)));
        int length = InstallFlyweight.encode(buffer, 0, 1, 1, rules);
        List<String> visited = new ArrayList<>();

        // When decoded with the visitor
        int result = InstallFlyweight.decode(buffer, 0, length - 2, new InstallFlyweight.RuleVisitor() {
            @Override
            public void onRuleStart(long keyHigh, long keyLow) {
                visited.add("rule");
            }

            @Override
            public void onAction(int opcode, int a, int b) {
                visited.add("action");
            }

            @Override
            public void onRuleEnd() {
                visited.add("end");
            }
        });

        // Then it is malformed and nothing was visited
        assertThat(result).isEqualTo(-1);
        assertThat(visited).isEmpty();
    }

    @Test
    void anUnknownOpcodeMakesAnInstallMalformed() {
        int length = InstallFlyweight.encode(buffer, 0, 1, 1, List.of(Rule.of(key, new Action.Count())));
        buffer.put(InstallFlyweight.RULES_OFFSET + FlowKeyFlyweight.KEY_LENGTH + 1, (byte) 99);

        assertThatThrownBy(() -> InstallFlyweight.decode(buffer, 0, length))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void removeCarriesKeysOrTheRemoveAllFlag() {
        // When a REMOVE of two keys is encoded
        int length = RemoveFlyweight.encode(buffer, 0, 1, 1, List.of(key, key.reversed(7)));
        List<FlowKey> keys = new ArrayList<>();

        // Then both keys decode back, without the all flag
        assertThat(RemoveFlyweight.decode(buffer, 0, length, (h, l) -> keys.add(FlowKey.unpack(h, l))))
                .isEqualTo(2);
        assertThat(keys).containsExactly(key, key.reversed(7));
        assertThat(RemoveFlyweight.flags(buffer, 0)).isZero();

        // And a remove-all carries the flag
        RemoveFlyweight.encodeAll(buffer, 0, 1, 2);
        assertThat(RemoveFlyweight.flags(buffer, 0)).isEqualTo(RemoveFlyweight.REMOVE_ALL);
    }

    @Test
    void reinjectCarriesThePacket() {
        ByteBuffer packet = ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5});

        int length = ReinjectFlyweight.encode(buffer, 0, 2, 3, packet, 1, 3);

        assertThat(ReinjectFlyweight.isValid(buffer, 0, length)).isTrue();
        assertThat(ReinjectFlyweight.packetLength(buffer, 0)).isEqualTo(3);
        assertThat(buffer.get(ReinjectFlyweight.PACKET_OFFSET)).isEqualTo((byte) 2);
    }

    @Test
    void reinjectBatchCarriesItsPacketsInOrderAndRefusesAMalformedOne() {
        // Given a batch of three packets of different lengths
        ByteBuffer packets = ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9});
        int length = BatchFlyweight.encode(buffer, 0, ControlProtocol.REINJECT_BATCH, 2, 3);
        length = BatchFlyweight.append(buffer, 0, length, packets, 0, 2);
        length = BatchFlyweight.append(buffer, 0, length, packets, 2, 5);
        length = BatchFlyweight.append(buffer, 0, length, packets, 7, 1);
        assertThat(length).isEqualTo(BatchFlyweight.ENTRIES_OFFSET
                + BatchFlyweight.entryLength(2) + BatchFlyweight.entryLength(5)
                + BatchFlyweight.entryLength(1));

        // When decoded, Then each packet comes back whole, in order
        List<List<Byte>> seen = new ArrayList<>();
        BatchFlyweight.PacketVisitor collect = (b, offset, n) -> {
            List<Byte> bytes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                bytes.add(b.get(offset + i));
            }
            seen.add(bytes);
        };
        assertThat(ControlProtocol.type(buffer, 0)).isEqualTo(ControlProtocol.REINJECT_BATCH);
        assertThat(BatchFlyweight.decode(buffer, 0, length, collect)).isEqualTo(3);
        assertThat(seen).containsExactly(List.of((byte) 1, (byte) 2), List.of((byte) 3, (byte) 4, (byte) 5,
                (byte) 6, (byte) 7), List.of((byte) 8));

        // And a message cut short, with bytes after its last packet, or claiming a packet more is refused whole
        seen.clear();
        assertThat(BatchFlyweight.decode(buffer, 0, length - 1, collect)).isEqualTo(-1);
        assertThat(BatchFlyweight.decode(buffer, 0, length + 1, collect)).isEqualTo(-1);
        buffer.putShort(BatchFlyweight.COUNT_OFFSET, (short) 4);
        assertThat(BatchFlyweight.decode(buffer, 0, length, collect)).isEqualTo(-1);
        assertThat(BatchFlyweight.decode(buffer, 0, 10, collect)).isEqualTo(-1);
        assertThat(seen).isEmpty();
    }

    @Test
    void welcomeCarriesItsFlags() {
        int length = WelcomeFlyweight.encode(buffer, 0, 3, 9, WelcomeFlyweight.PUNT_BATCH);
        assertThat(ControlProtocol.type(buffer, 0)).isEqualTo(ControlProtocol.WELCOME);
        assertThat(WelcomeFlyweight.isValid(buffer, 0, length)).isTrue();
        assertThat(WelcomeFlyweight.isValid(buffer, 0, length - 1)).isFalse();
        assertThat(WelcomeFlyweight.flags(buffer, 0)).isEqualTo(WelcomeFlyweight.PUNT_BATCH);
    }

    @Test
    void helloCarriesItsFlags() {
        int length = HelloFlyweight.encode(buffer, 0, 1, 1, 0x7F000001, 4789,
                HelloFlyweight.REINJECT_BATCH);
        assertThat(HelloFlyweight.isValid(buffer, 0, length)).isTrue();
        assertThat(HelloFlyweight.flags(buffer, 0)).isEqualTo(HelloFlyweight.REINJECT_BATCH);
        HelloFlyweight.encode(buffer, 0, 1, 1, 0x7F000001, 4789);
        assertThat(HelloFlyweight.flags(buffer, 0)).isZero();
    }

    @Test
    void statsResponseRoundTripsAndToleratesNewerCounters() {
        // Given counters with one more than this version knows
        long[] counters = new long[FastpathStats.COUNTER_COUNT + 1];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = 1000L * (i + 1);
        }

        // When encoded with all of them and decoded
        int length = StatsResponseFlyweight.encode(buffer, 0, 4, 99, counters, counters.length);
        FastpathStats stats = StatsResponseFlyweight.decode(buffer, 0, length);

        // Then the known counters come back, the extra one is ignored
        assertThat(ControlProtocol.sequence(buffer, 0)).isEqualTo(99);
        assertThat(stats.packets()).isEqualTo(1000);
        assertThat(stats.reinjects()).isEqualTo(11000);
        assertThat(StatsResponseFlyweight.decode(buffer, 0, length - 1)).isNull();
    }

    @Test
    void flowKeysPackAndUnpackEveryBit() {
        FlowKey max = new FlowKey(0xFF_FFFF, 0xFF, -1, -1, 0xFFFF, 0xFFFF);
        FlowKey min = new FlowKey(0, 0, 0, 0, 0, 0);

        assertThat(FlowKey.unpack(max.high(), max.low())).isEqualTo(max);
        assertThat(FlowKey.unpack(min.high(), min.low())).isEqualTo(min);
        assertThat(FlowKey.unpack(key.high(), key.low())).isEqualTo(key);
    }

    @Test
    void flowExpiredCarriesKeysAndFlags() {
        // Given two keys packed as the data plane holds them
        FlowKey other = key.reversed(200);
        long[] highs = {key.high(), other.high(), 0};
        long[] lows = {key.low(), other.low(), 0};

        // When the first two are reported expired
        int length = FlowExpiredFlyweight.encode(buffer, 0, 4, 11, FlowExpiredFlyweight.EXPIRED_IDLE, highs, lows,
                2);

        // Then header, flags and keys decode back, and a truncated message is malformed
        assertThat(length).isEqualTo(FlowExpiredFlyweight.KEYS_OFFSET + 2 * FlowKeyFlyweight.KEY_LENGTH);
        assertThat(ControlProtocol.isValidHeader(buffer, 0, length)).isTrue();
        assertThat(ControlProtocol.type(buffer, 0)).isEqualTo(ControlProtocol.FLOW_EXPIRED);
        assertThat(ControlProtocol.fastpathId(buffer, 0)).isEqualTo(4);
        assertThat(FlowExpiredFlyweight.flags(buffer, 0)).isEqualTo(FlowExpiredFlyweight.EXPIRED_IDLE);
        assertThat(FlowExpiredFlyweight.decode(buffer, 0, length)).containsExactly(key, other);
        assertThat(FlowExpiredFlyweight.decode(buffer, 0, length - 1)).isNull();
        assertThat(FlowExpiredFlyweight.decode(buffer, 0, 15)).isNull();
    }

    @Test
    void flowExpiredListEncoderMatchesThePackedOne() {
        int length = FlowExpiredFlyweight.encode(buffer, 0, 1, 2, FlowExpiredFlyweight.EXPIRED_IDLE, List.of(key));
        assertThat(FlowExpiredFlyweight.decode(buffer, 0, length)).containsExactly(key);
        assertThat(FlowExpiredFlyweight.KEYS_OFFSET + FlowExpiredFlyweight.MAX_KEYS
                * FlowKeyFlyweight.KEY_LENGTH).isLessThanOrEqualTo(1472);
    }
}
