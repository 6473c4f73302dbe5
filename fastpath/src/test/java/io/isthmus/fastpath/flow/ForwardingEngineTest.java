package io.isthmus.fastpath.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Rule;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.testing.ReferencePackets;

class ForwardingEngineTest {

    private final ByteBuffer message = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);

    @Test
    void installsRulesFromAnInstallMessageAndRemovesThemByKey() {
        // Given an engine and an INSTALL of two rules
        ForwardingEngine engine = new ForwardingEngine(16, 4);
        FlowKey a = new FlowKey(100, FlowKey.UDP, 1, 2, 3, 4);
        FlowKey b = a.reversed(200);
        int length = InstallFlyweight.encode(message, 0, 1, 1,
                List.of(Rule.of(a, new Action.SetNextHop(0x7F000001, 40001)),
                        Rule.of(b, new Action.SetNextHop(0x7F000001, 40002))));

        // When applied
        int rejected = engine.install(message, 0, length);

        // Then both flows are in the table
        assertThat(rejected).isZero();
        assertThat(engine.flowCount()).isEqualTo(2);

        // And a REMOVE of one key leaves the other
        length = RemoveFlyweight.encode(message, 0, 1, 2, List.of(a));
        assertThat(engine.remove(message, 0, length)).isEqualTo(1);
        assertThat(engine.flowCount()).isEqualTo(1);
        assertThat(engine.rulePackets(b.high(), b.low())).isZero();
        assertThat(engine.rulePackets(a.high(), a.low())).isEqualTo(-1);
    }

    @Test
    void aShortProgramRunsFromItsFlowsSlotALongOneFromTheTableWithTheSameResult() {
        try (ForwardingEngine engine = new ForwardingEngine(16, 4)) {
            // Given a rule of 3 actions (it travels in its flow's slot) and one of 6 (it does not)
            FlowKey shortFlow = new FlowKey(100, FlowKey.UDP, ReferencePackets.parse("10.0.0.5"),
                    ReferencePackets.parse("198.51.100.7"), 40001, 53);
            FlowKey longFlow = new FlowKey(100, FlowKey.UDP, ReferencePackets.parse("10.0.0.6"),
                    ReferencePackets.parse("198.51.100.7"), 40001, 53);
            Rule shortRule = Rule.of(shortFlow, new Action.RewriteSource(ReferencePackets.parse("203.0.113.10"), 20000),
                    new Action.SetVni(200), new Action.SetNextHop(0x7F000001, 40001));
            Rule longRule = Rule.of(longFlow, new Action.DecrementTtl(),
                    new Action.RewriteSource(ReferencePackets.parse("203.0.113.10"), 20001),
                    new Action.RewriteDestination(ReferencePackets.parse("192.0.2.1"), 5353), new Action.SetVni(300),
                    new Action.Count(), new Action.SetNextHop(0x7F000001, 40002));
            int length = InstallFlyweight.encode(message, 0, 1, 1, List.of(shortRule));
            engine.install(message, 0, length);
            assertThat(engine.hasOutOfLinePrograms()).isFalse();
            length = InstallFlyweight.encode(message, 0, 1, 2, List.of(longRule));
            engine.install(message, 0, length);
            assertThat(engine.hasOutOfLinePrograms()).isTrue();

            for (FlowKey flow : List.of(shortFlow, longFlow)) {
                // When a packet of the flow runs right after its lookup (from the slot, if short) and another
                // without one (from the program table)
                byte[] packet = ReferencePackets.udp(ReferencePackets.format(flow.srcAddress()), 40001,
                        "198.51.100.7", 53).vni(100).build();
                ByteBuffer afterLookup = ByteBuffer.wrap(packet.clone());
                ByteBuffer fromTable = ByteBuffer.wrap(packet.clone());
                PacketParser parser = new PacketParser();
                parser.parse(afterLookup, 0, packet.length);
                int program = engine.lookup(parser);
                int verdict = engine.execute(program, parser);
                parser.parse(fromTable, 0, packet.length);
                engine.remove(message, 0, RemoveFlyweight.encode(message, 0, 1, 3, List.of(new FlowKey(1, 1, 1,
                        1, 1, 1)))); // any change of the table forgets the last hit
                int tableVerdict = engine.execute(program, parser);

                // Then both give the same verdict and the same bytes, rewritten as the rule says
                assertThat(verdict).isEqualTo(tableVerdict).isNotNegative();
                assertThat(afterLookup.array()).isEqualTo(fromTable.array());
                ReferencePackets.Decoded out = ReferencePackets.decode(afterLookup.array());
                assertThat(out.src()).isEqualTo("203.0.113.10");
                assertThat(out.ipChecksumValid()).isTrue();
                assertThat(out.l4ChecksumValid()).isTrue();
            }
            assertThat(engine.rulePackets(longFlow.high(), longFlow.low())).isEqualTo(2);

            // And once the long rule is gone, no program is out of line
            engine.remove(message, 0, RemoveFlyweight.encode(message, 0, 1, 4, List.of(longFlow)));
            assertThat(engine.hasOutOfLinePrograms()).isFalse();
        }
    }

    @Test
    void refusesRulesBeyondCapacityAndCountsThem() {
        // Given an engine for two flows
        ForwardingEngine engine = new ForwardingEngine(2, 4);
        List<Rule> rules = List.of(rule(1), rule(2), rule(3));
        int length = InstallFlyweight.encode(message, 0, 1, 1, rules);

        // When three rules are installed
        int rejected = engine.install(message, 0, length);

        // Then one is refused
        assertThat(rejected).isEqualTo(1);
        assertThat(engine.flowCount()).isEqualTo(2);

        // And re-installing an existing rule in the full table still works (replaces it)
        length = InstallFlyweight.encode(message, 0, 1, 2, List.of(rule(1)));
        assertThat(engine.install(message, 0, length)).isZero();
    }

    @Test
    void refusesARuleWhoseNextHopDoesNotFit() {
        // Given an engine with room for one next hop, already used
        ForwardingEngine engine = new ForwardingEngine(8, 1);
        int length = InstallFlyweight.encode(message, 0, 1, 1, List.of(rule(1)));
        engine.install(message, 0, length);

        // When a rule names another next hop
        length = InstallFlyweight.encode(message, 0, 1, 2,
                List.of(Rule.of(new FlowKey(1, FlowKey.UDP, 9, 9, 9, 9), new Action.SetNextHop(0x7F000001, 9999))));

        // Then it is refused
        assertThat(engine.install(message, 0, length)).isEqualTo(1);
        assertThat(engine.flowCount()).isEqualTo(1);
    }

    @Test
    void removeAllEmptiesTheTableAndFreesTheNextHops() {
        // Given rules filling the only next-hop slot
        ForwardingEngine engine = new ForwardingEngine(8, 1);
        int length = InstallFlyweight.encode(message, 0, 1, 1, List.of(rule(1), rule(2)));
        engine.install(message, 0, length);

        // When every rule is removed
        length = RemoveFlyweight.encodeAll(message, 0, 1, 2);
        engine.remove(message, 0, length);

        // Then the table is empty and a rule with another next hop fits again
        assertThat(engine.flowCount()).isZero();
        length = InstallFlyweight.encode(message, 0, 1, 3,
                List.of(Rule.of(new FlowKey(1, FlowKey.UDP, 9, 9, 9, 9), new Action.SetNextHop(0x7F000001, 9999))));
        assertThat(engine.install(message, 0, length)).isZero();
    }

    @Test
    void expiringIdleRulesFreesTheirProgramsAndReportsTheirKeys() {
        // Given an engine for two flows with a 30 s idle timeout, full
        try (ForwardingEngine engine = new ForwardingEngine(2, 4, IdleTimeouts.all(Duration.ofSeconds(30)))) {
            engine.advanceTo(0);
            int length = InstallFlyweight.encode(message, 0, 1, 1, List.of(rule(1), rule(2)));
            engine.install(message, 0, length);
            List<FlowKey> expired = new ArrayList<>();

            // When 31 s pass without packets
            int count = engine.expire(31_000_000_000L, 1_000, (h, l, p) -> expired.add(FlowKey.unpack(h, l)));

            // Then both rules are gone and reported, and their programs are free for new rules
            assertThat(count).isEqualTo(2);
            assertThat(expired).containsExactlyInAnyOrder(rule(1).key(), rule(2).key());
            assertThat(engine.flowCount()).isZero();
            assertThat(engine.expiredFlows()).isEqualTo(2);
            length = InstallFlyweight.encode(message, 0, 1, 2, List.of(rule(3), rule(4)));
            assertThat(engine.install(message, 0, length)).isZero();
        }
    }

    private static Rule rule(int i) {
        return Rule.of(new FlowKey(1, FlowKey.TCP, i, 2, 3, 4), new Action.Count(),
                new Action.SetNextHop(0x7F000001, 40001));
    }
}
