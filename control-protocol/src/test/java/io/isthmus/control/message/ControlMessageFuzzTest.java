package io.isthmus.control.message;

import static io.isthmus.control.testing.ControlMessageArbitraries.FASTPATH_ID;
import static io.isthmus.control.testing.ControlMessageArbitraries.bytesOf;
import static io.isthmus.control.testing.ControlMessageArbitraries.saFields;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import io.isthmus.control.FlowKey;
import io.isthmus.control.Rule;
import io.isthmus.control.testing.ControlMessageArbitraries;
import io.isthmus.control.testing.ControlMessageArbitraries.Encoded;

/**
 * Properties of the control protocol's decoders under hostile input: random datagrams, valid messages of every type
 * (made by the protocol's own encoders from generated values) cut at every length, and valid messages with a bit
 * flipped in the header or in a type, count or length field. A decoder never throws, refuses every cut message, and
 * gives back exactly what was encoded from a whole one. Each message is read from a buffer of exactly its length, so a
 * read past its end would throw.
 * <p>
 * Seeded and bounded (jqwik's {@code seed} and {@code tries}) so they run in about a second and fail the same way
 * twice.
 */
class ControlMessageFuzzTest {

    @Property(tries = 3000, seed = "20261203")
    void aRandomDatagramIsRefusedOrDecodedWithoutThrowing(@ForAll @Size(max = 2000) byte[] bytes) {
        // When a datagram of random bytes is decoded as whatever its type byte says, Then nothing throws
        decode(bytes, bytes.length);
    }

    @Property(tries = 3000, seed = "20261203")
    void randomBodiesBehindAValidHeaderAreRefusedOrDecodedWithoutThrowing(
            @ForAll @IntRange(min = 0, max = 20) int type, @ForAll @Size(max = 600) byte[] body) {
        // Given a valid header of any type (some unknown) and random bytes after it
        byte[] bytes = new byte[ControlProtocol.HEADER_LENGTH + body.length];
        ControlProtocol.encodeHeader(ByteBuffer.wrap(bytes), 0, type, FASTPATH_ID, 1);
        System.arraycopy(body, 0, bytes, ControlProtocol.HEADER_LENGTH, body.length);

        // When decoded, Then nothing throws
        decode(bytes, bytes.length);
    }

    @Provide
    Arbitrary<Encoded> messages() {
        return ControlMessageArbitraries.messages();
    }

    @Property(tries = 2000, seed = "20261203")
    void aValidMessageDecodesToWhatWasEncoded(@ForAll("messages") Encoded message) {
        assertThat(decode(message.bytes(), message.bytes().length)).isEqualTo(message.decoded());
    }

    @Property(tries = 1000, seed = "20261203")
    void everyTruncationOfAValidMessageIsRefused(@ForAll("messages") Encoded message) {
        for (int length = 0; length < message.bytes().length; length++) {
            assertThat(decode(message.bytes(), length)).as("%s cut to %d", message.name(), length).isNull();
        }
    }

    @Property(tries = 3000, seed = "20261203")
    void aBitFlipInATypeCountOrLengthFieldNeverThrows(@ForAll("messages") Encoded message,
            @ForAll @IntRange(min = 0, max = 15) int fieldByte, @ForAll @IntRange(min = 0, max = 7) int bit) {
        // Given a valid message with one bit of its first 16 bytes flipped: magic, version, type, id, sequence, and
        // the count, length or flags fields every body starts with
        byte[] bytes = message.bytes().clone();
        int at = Math.min(fieldByte, bytes.length - 1);
        bytes[at] ^= (byte) (1 << bit);

        // When decoded, Then it is refused, or decoded (from within the message) without throwing
        Object decoded = decode(bytes, bytes.length);

        // And a flip of the magic or the version is always refused
        if (at < ControlProtocol.TYPE_OFFSET) {
            assertThat(decoded).isNull();
        }
    }

    // ---------------------------------------------------------------- the receiver

    /**
     * Decodes a message as the fastpath and the slowpath do (header, then the type's own checks, then reads) into a
     * value to compare with what was encoded, or null if it is refused.
     */
    static Object decode(byte[] bytes, int length) {
        ByteBuffer buffer = ByteBuffer.wrap(Arrays.copyOf(bytes, length));
        if (!ControlProtocol.isValidHeader(buffer, 0, length)) {
            return null;
        }
        return switch (ControlProtocol.type(buffer, 0)) {
            case ControlProtocol.HELLO -> HelloFlyweight.isValid(buffer, 0, length)
                    ? List.of(HelloFlyweight.dataAddress(buffer, 0), HelloFlyweight.dataPort(buffer, 0),
                            HelloFlyweight.flags(buffer, 0))
                    : null;
            case ControlProtocol.WELCOME -> WelcomeFlyweight.isValid(buffer, 0, length)
                    ? List.of(WelcomeFlyweight.flags(buffer, 0))
                    : null;
            case ControlProtocol.PUNT -> PuntFlyweight.isValid(buffer, 0, length)
                    ? List.of(PuntFlyweight.reason(buffer, 0), PuntFlyweight.key(buffer, 0),
                            bytesOf(buffer, PuntFlyweight.PACKET_OFFSET, PuntFlyweight.packetLength(buffer, 0)))
                    : null;
            case ControlProtocol.INSTALL -> installed(buffer, length);
            case ControlProtocol.REMOVE -> {
                if (RemoveFlyweight.isRemoveAll(buffer, 0, length)) {
                    yield "all";
                }
                List<FlowKey> keys = new ArrayList<>();
                yield RemoveFlyweight.decode(buffer, 0, length, (high, low) -> keys.add(FlowKey.unpack(high, low))) < 0
                        ? null
                        : keys;
            }
            case ControlProtocol.FLOW_EXPIRED -> FlowExpiredFlyweight.decode(buffer, 0, length);
            case ControlProtocol.REINJECT -> ReinjectFlyweight.isValid(buffer, 0, length)
                    ? bytesOf(buffer, ReinjectFlyweight.PACKET_OFFSET, ReinjectFlyweight.packetLength(buffer, 0))
                    : null;
            case ControlProtocol.REINJECT_BATCH, ControlProtocol.PUNT_BATCH -> {
                List<List<Byte>> entries = new ArrayList<>();
                yield BatchFlyweight.decode(buffer, 0, length, (b, offset, entryLength) -> entries.add(bytesOf(b,
                        offset, entryLength))) < 0 ? null : entries;
            }
            case ControlProtocol.STATS_REQUEST -> length >= StatsRequestFlyweight.LENGTH ? "stats" : null;
            case ControlProtocol.STATS_RESPONSE -> StatsResponseFlyweight.decode(buffer, 0, length);
            case ControlProtocol.INSTALL_SA -> InstallSaFlyweight.isValid(buffer, 0, length)
                    ? saFields(InstallSaFlyweight.decode(buffer, 0))
                    : null;
            case ControlProtocol.REMOVE_SA -> RemoveSaFlyweight.isValid(buffer, 0, length)
                    ? RemoveSaFlyweight.saIndex(buffer, 0)
                    : null;
            case ControlProtocol.INSTALL_ROUTE, ControlProtocol.ROUTE_BATCH -> routes(buffer, length);
            case ControlProtocol.TIMEOUTS -> TimeoutsFlyweight.isValid(buffer, 0, length)
                    ? TimeoutsFlyweight.decode(buffer, 0)
                    : null;
            default -> null;
        };
    }

    private static List<Rule> installed(ByteBuffer buffer, int length) {
        try {
            return InstallFlyweight.decode(buffer, 0, length);
        } catch (IllegalArgumentException malformed) {
            // the control plane's list decoder says "malformed" so; anything else is a failure of the test
            return null;
        }
    }

    private static List<List<Object>> routes(ByteBuffer buffer, int length) {
        List<List<Object>> routes = new ArrayList<>();
        InstallRouteFlyweight.RouteVisitor visitor = (prefix, prefixLength, flags, vni, address,
                port) -> routes.add(List.of(prefix, prefixLength, flags, vni, address, port));
        int count = ControlProtocol.type(buffer, 0) == ControlProtocol.ROUTE_BATCH
                ? RouteBatchFlyweight.decode(buffer, 0, length, visitor)
                : InstallRouteFlyweight.decode(buffer, 0, length, visitor);
        return count < 0 ? null : routes;
    }
}
