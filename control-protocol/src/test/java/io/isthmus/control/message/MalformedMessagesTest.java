package io.isthmus.control.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.FlowTimeouts;
import io.isthmus.control.PuntReason;
import io.isthmus.control.Route;
import io.isthmus.control.Rule;
import io.isthmus.control.SecurityAssociation;

/**
 * Every message, cut short or filled with garbage, is refused by its flyweight's checks, and no exception escapes a
 * receiver that checks before it reads. Each message is read from a buffer of exactly its length, so a read past the
 * end would throw.
 */
class MalformedMessagesTest {

    private static final FlowKey KEY = new FlowKey(100, FlowKey.TCP, 0x0A000001, 0x08080808, 40000, 443);

    private final InstallFlyweight.RuleVisitor rules = new InstallFlyweight.RuleVisitor() {
        @Override
        public void onRuleStart(long keyHigh, long keyLow) {
        }

        @Override
        public void onAction(int opcode, int a, int b) {
        }

        @Override
        public void onRuleEnd() {
        }
    };

    @Test
    void everyValidMessageIsAcceptedAndEveryTruncationOfItRefused() {
        for (Map.Entry<String, byte[]> message : validMessages().entrySet()) {
            byte[] bytes = message.getValue();
            assertThat(accepts(bytes, bytes.length)).as(message.getKey() + " whole").isTrue();
            for (int length = 0; length < bytes.length; length++) {
                assertThat(accepts(bytes, length)).as(message.getKey() + " cut to " + length).isFalse();
            }
        }
    }

    @Test
    void garbageAfterAValidHeaderNeverThrows() {
        // Given random bodies behind a valid header of every type (and some unknown ones), seeded to be repeatable
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            if (bytes.length >= ControlProtocol.HEADER_LENGTH) {
                ControlProtocol.encodeHeader(ByteBuffer.wrap(bytes), 0, 1 + random.nextInt(17), 1, i);
            }

            // When received, then refused or accepted, but never a failure
            accepts(bytes, bytes.length);
        }
    }

    /** A receiver as the fastpath and the slowpath are: header, then the type's own checks, then reads. */
    private boolean accepts(byte[] bytes, int length) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length).slice();
        if (!ControlProtocol.isValidHeader(buffer, 0, length)) {
            return false;
        }
        return switch (ControlProtocol.type(buffer, 0)) {
            case ControlProtocol.HELLO -> HelloFlyweight.isValid(buffer, 0, length)
                    && HelloFlyweight.flags(buffer, 0) >= 0 && HelloFlyweight.dataPort(buffer, 0) >= 0;
            case ControlProtocol.WELCOME -> WelcomeFlyweight.isValid(buffer, 0, length)
                    && WelcomeFlyweight.flags(buffer, 0) >= 0;
            case ControlProtocol.PUNT -> PuntFlyweight.isValid(buffer, 0, length)
                    && PuntFlyweight.key(buffer, 0) != null && PuntFlyweight.reason(buffer, 0) >= 0;
            case ControlProtocol.INSTALL -> InstallFlyweight.decode(buffer, 0, length, rules) >= 0;
            case ControlProtocol.REMOVE -> RemoveFlyweight.isRemoveAll(buffer, 0, length)
                    || RemoveFlyweight.decode(buffer, 0, length, (high, low) -> {
                    }) >= 0;
            case ControlProtocol.REINJECT -> ReinjectFlyweight.isValid(buffer, 0, length);
            case ControlProtocol.REINJECT_BATCH, ControlProtocol.PUNT_BATCH -> BatchFlyweight.decode(buffer, 0,
                    length, (b, offset, entryLength) -> {
                    }) >= 0;
            case ControlProtocol.STATS_REQUEST -> length >= StatsRequestFlyweight.LENGTH;
            case ControlProtocol.STATS_RESPONSE -> StatsResponseFlyweight.decode(buffer, 0, length) != null;
            case ControlProtocol.FLOW_EXPIRED -> FlowExpiredFlyweight.decode(buffer, 0, length) != null;
            case ControlProtocol.INSTALL_SA -> InstallSaFlyweight.isValid(buffer, 0, length)
                    && InstallSaFlyweight.decode(buffer, 0) != null;
            case ControlProtocol.REMOVE_SA -> RemoveSaFlyweight.isValid(buffer, 0, length);
            case ControlProtocol.INSTALL_ROUTE -> InstallRouteFlyweight.decode(buffer, 0, length,
                    (p, l, f, v, a, port) -> {
                    }) >= 0;
            case ControlProtocol.ROUTE_BATCH -> RouteBatchFlyweight.decode(buffer, 0, length,
                    (p, l, f, v, a, port) -> {
                    }) >= 0;
            case ControlProtocol.TIMEOUTS -> TimeoutsFlyweight.isValid(buffer, 0, length)
                    && TimeoutsFlyweight.decode(buffer, 0) != null;
            default -> false;
        };
    }

    private static Map<String, byte[]> validMessages() {
        Map<String, byte[]> messages = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);
        ByteBuffer packet = ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        messages.put("HELLO", copy(b, HelloFlyweight.encode(b, 0, 1, 1, 0x7F000001, 4789, HelloFlyweight.INSTALL_SA)));
        messages.put("WELCOME", copy(b, WelcomeFlyweight.encode(b, 0, 1, 1, WelcomeFlyweight.PUNT_BATCH)));
        int punt = PuntFlyweight.encode(b, 0, 1, 1, PuntReason.MISS, KEY.high(), KEY.low(), packet, 0, 8);
        byte[] puntBytes = copy(b, punt);
        messages.put("PUNT", puntBytes);
        messages.put("INSTALL", copy(b, InstallFlyweight.encode(b, 0, 1, 1,
                List.of(Rule.of(KEY, new Action.RewriteSource(1, 2), new Action.SetVni(3), new Action.Count()),
                        Rule.of(KEY.reversed(3), new Action.EspEncrypt(1))))));
        messages.put("REMOVE", copy(b, RemoveFlyweight.encode(b, 0, 1, 1, List.of(KEY, KEY.reversed(5)))));
        messages.put("REMOVE all", copy(b, RemoveFlyweight.encodeAll(b, 0, 1, 1)));
        messages.put("REINJECT", copy(b, ReinjectFlyweight.encode(b, 0, 1, 1, packet, 0, 8)));
        int batch = BatchFlyweight.encode(b, 0, ControlProtocol.REINJECT_BATCH, 1, 1);
        batch = BatchFlyweight.append(b, 0, batch, packet, 0, 8);
        batch = BatchFlyweight.append(b, 0, batch, packet, 2, 4);
        messages.put("REINJECT_BATCH", copy(b, batch));
        batch = BatchFlyweight.encode(b, 0, ControlProtocol.PUNT_BATCH, 1, 1);
        batch = BatchFlyweight.append(b, 0, batch, ByteBuffer.wrap(puntBytes), 0, puntBytes.length);
        messages.put("PUNT_BATCH", copy(b, batch));
        messages.put("STATS_REQUEST", copy(b, StatsRequestFlyweight.encode(b, 0, 1, 1)));
        messages.put("STATS_RESPONSE", copy(b, StatsResponseFlyweight.encode(b, 0, 1, 1, new long[]{1, 2, 3}, 3)));
        messages.put("FLOW_EXPIRED", copy(b, FlowExpiredFlyweight.encode(b, 0, 1, 1, FlowExpiredFlyweight.EXPIRED_IDLE,
                List.of(KEY))));
        messages.put("INSTALL_SA", copy(b, InstallSaFlyweight.encode(b, 0, 1, 1,
                SecurityAssociation.outbound(2, 0x1234, new byte[28], 0x01020304, 0x05060708))));
        messages.put("REMOVE_SA", copy(b, RemoveSaFlyweight.encode(b, 0, 1, 1, 2)));
        messages.put("INSTALL_ROUTE", copy(b, InstallRouteFlyweight.encode(b, 0, 1, 1,
                Route.of("10.0.0.0/8", 100, 0x7F000001, 4789))));
        messages.put("ROUTE_BATCH", copy(b, RouteBatchFlyweight.encode(b, 0, 1, 1,
                List.of(Route.of("10.0.0.0/8", 100, 1, 2), Route.of("0.0.0.0/0", 100, 1, 2)), false)));
        messages.put("TIMEOUTS", copy(b, TimeoutsFlyweight.encode(b, 0, 1, 1, FlowTimeouts.DEFAULTS)));
        return messages;
    }

    private static byte[] copy(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(0, bytes);
        return bytes;
    }
}
