package io.isthmus.fastpath.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Rule;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.packet.TcpFlyweight;
import io.isthmus.fastpath.testing.ReferencePackets;

/**
 * A NAT's two rules of a TCP connection turn transitory together when a FIN or an RST passes either of them, so the
 * connection's binding goes 4 minutes after it closed instead of 2 hours (RFC 5382 REQ-5).
 */
class ForwardingEngineTcpStateTest {

    private static final long SECOND = 1_000_000_000L;
    private static final int INSIDE_VNI = 100;
    private static final int OUTSIDE_VNI = 200;
    private static final int INSIDE = ReferencePackets.parse("10.0.0.5");
    private static final int REMOTE = ReferencePackets.parse("198.51.100.7");
    private static final int PUBLIC = ReferencePackets.parse("203.0.113.10");
    /** The forward rule's key: inside host to remote server. */
    private static final FlowKey FORWARD = new FlowKey(INSIDE_VNI, FlowKey.TCP, INSIDE, REMOTE, 40001, 443);
    /** The reverse rule's key: remote server to the public address and port, on the outside VNI. */
    private static final FlowKey REVERSE = new FlowKey(OUTSIDE_VNI, FlowKey.TCP, REMOTE, PUBLIC, 443, 20000);
    /** Another connection of the same host, left alone. */
    private static final FlowKey OTHER = new FlowKey(INSIDE_VNI, FlowKey.TCP, INSIDE, REMOTE, 40002, 443);

    private final ForwardingEngine engine = new ForwardingEngine(64, 8, IdleTimeouts.DEFAULTS);
    private final ByteBuffer message = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
    private final PacketParser parser = new PacketParser();
    private final List<FlowKey> expired = new ArrayList<>();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aFinFromInsideMakesBothRulesOfItsConnectionTransitoryAndTheyExpireFourMinutesLater() {
        // Given a NAT's forward and reverse rules of a connection, and of another one, at t = 0
        natRules();

        // When data passes, then a FIN from the inside host at t = 10 s
        assertThat(forward(outbound(TcpFlyweight.FLAG_ACK))).isNotNegative();
        assertThat(engine.isTransitory(FORWARD.high(), FORWARD.low())).isFalse();
        engine.advanceTo(10 * SECOND);
        assertThat(forward(outbound(TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_ACK))).isNotNegative();

        // Then both rules of the connection are transitory, the other connection's are not
        assertThat(engine.isTransitory(FORWARD.high(), FORWARD.low())).isTrue();
        assertThat(engine.isTransitory(REVERSE.high(), REVERSE.low())).isTrue();
        assertThat(engine.isTransitory(OTHER.high(), OTHER.low())).isFalse();

        // And 4 minutes after their last packets both expire and are reported, the other connection's rule stays
        engine.expire(200 * SECOND, 1_000, (h, l, p) -> expired.add(FlowKey.unpack(h, l)));
        assertThat(expired).isEmpty();
        engine.expire(260 * SECOND, 1_000, (h, l, p) -> expired.add(FlowKey.unpack(h, l)));
        assertThat(expired).containsExactlyInAnyOrder(FORWARD, REVERSE);
        assertThat(engine.flowCount()).isEqualTo(1);
    }

    @Test
    void anRstFromOutsideDoesTheSameThroughTheReverseRule() {
        natRules();

        assertThat(forward(inbound(TcpFlyweight.FLAG_RST))).isNotNegative();

        assertThat(engine.isTransitory(REVERSE.high(), REVERSE.low())).isTrue();
        assertThat(engine.isTransitory(FORWARD.high(), FORWARD.low())).isTrue();
    }

    @Test
    void aSynWithoutFinOrRstOpensTheConnectionAnewForItsOwnRule() {
        // Given a connection closed by a FIN
        natRules();
        forward(outbound(TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_ACK));

        // When the inside host opens it again from the same port
        forward(outbound(TcpFlyweight.FLAG_SYN));

        // Then its rule is established again; the reverse one waits for the answer
        assertThat(engine.isTransitory(FORWARD.high(), FORWARD.low())).isFalse();
        assertThat(engine.isTransitory(REVERSE.high(), REVERSE.low())).isTrue();
        forward(inbound(TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK));
        assertThat(engine.isTransitory(REVERSE.high(), REVERSE.low())).isFalse();
    }

    @Test
    void aFinTheProgramDoesNotForwardChangesNothing() {
        // Given a forward rule that decrements the TTL, and a FIN whose TTL expires on it
        natRules();
        install(Rule.of(FORWARD, new Action.DecrementTtl(), new Action.RewriteSource(PUBLIC, 20000),
                new Action.SetVni(OUTSIDE_VNI), new Action.SetNextHop(0x7F000001, 40001)));
        byte[] fin = ReferencePackets.tcp("10.0.0.5", 40001, "198.51.100.7", 443).vni(INSIDE_VNI).ttl(1)
                .tcpFlags(TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_ACK).build();

        // When it arrives, Then it is not forwarded and the connection stays established
        assertThat(forward(fin)).isEqualTo(ActionExecutor.TTL_EXPIRED);
        assertThat(engine.isTransitory(FORWARD.high(), FORWARD.low())).isFalse();
        assertThat(engine.isTransitory(REVERSE.high(), REVERSE.low())).isFalse();
    }

    private void natRules() {
        engine.advanceTo(0);
        install(Rule.of(FORWARD, new Action.RewriteSource(PUBLIC, 20000), new Action.SetVni(OUTSIDE_VNI),
                new Action.SetNextHop(0x7F000001, 40001)));
        install(Rule.of(REVERSE, new Action.RewriteDestination(INSIDE, 40001), new Action.SetVni(INSIDE_VNI),
                new Action.SetNextHop(0x7F000001, 40002)));
        install(Rule.of(OTHER, new Action.RewriteSource(PUBLIC, 20001), new Action.SetVni(OUTSIDE_VNI),
                new Action.SetNextHop(0x7F000001, 40001)));
    }

    private void install(Rule rule) {
        assertThat(engine.install(message, 0, InstallFlyweight.encode(message, 0, 1, 1, List.of(rule)))).isZero();
    }

    private static byte[] outbound(int flags) {
        return ReferencePackets.tcp("10.0.0.5", 40001, "198.51.100.7", 443).vni(INSIDE_VNI).tcpFlags(flags).build();
    }

    private static byte[] inbound(int flags) {
        return ReferencePackets.tcp("198.51.100.7", 443, "203.0.113.10", 20000).vni(OUTSIDE_VNI).tcpFlags(flags)
                .build();
    }

    /** Looks the packet up and runs its rule, as a worker does; returns the verdict. */
    private int forward(byte[] packet) {
        assertThat(parser.parse(ByteBuffer.wrap(packet), 0, packet.length)).isEqualTo(PacketParser.PARSED);
        int program = engine.lookup(parser);
        assertThat(program).isNotNegative();
        return engine.execute(program, parser);
    }
}
