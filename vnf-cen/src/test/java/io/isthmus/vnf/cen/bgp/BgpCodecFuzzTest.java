package io.isthmus.vnf.cen.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.isthmus.vnf.cen.bgp.UpdateDecoder.Approach;
import io.isthmus.vnf.cen.bgp.UpdateDecoder.Context;
import io.isthmus.vnf.cen.bgp.UpdateDecoder.Result;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The codec under hostile input, seeded so a failure repeats: BIRD's messages with octets flipped, truncated or
 * extended, and random bodies. Nothing throws: every input is decoded or refused with a NOTIFICATION.
 */
class BgpCodecFuzzTest {

    private static final byte[] BIRD_UPDATE = HexFormat.of().parseHex("ffffffffffffffffffffffffffffffff00330200000014"
            + "4001010040020602010000fdf24003047f0d000218f0010018f00101");
    private static final Context[] CONTEXTS = {new Context(true, true, 65010), new Context(false, true, 65010),
            new Context(true, false, 65010)};

    @Test
    void mutatedUpdatesAreDecidedWithoutExceptions() {
        Random random = new Random(7606);
        for (int i = 0; i < 200_000; i++) {
            byte[] m = mutate(BIRD_UPDATE, random);
            Result result = UpdateDecoder.decode(m, 0, m.length, CONTEXTS[i % CONTEXTS.length]);
            assertConsistent(result);
        }
    }

    @Test
    void randomBodiesAreDecidedWithoutExceptions() {
        Random random = new Random(4271);
        for (int i = 0; i < 200_000; i++) {
            byte[] body = new byte[4 + random.nextInt(200)];
            random.nextBytes(body);
            if (random.nextBoolean()) {
                // plausible lengths make the parser go deeper
                body[0] = 0;
                body[1] = (byte) random.nextInt(8);
                body[2] = 0;
                body[3] = (byte) random.nextInt(body.length);
            }
            byte[] m = BgpMessages.header(BgpMessages.HEADER_LENGTH + body.length, BgpMessages.UPDATE);
            System.arraycopy(body, 0, m, BgpMessages.HEADER_LENGTH, body.length);
            assertConsistent(UpdateDecoder.decode(m, 0, m.length, CONTEXTS[i % CONTEXTS.length]));
        }
    }

    @Test
    void mutatedOpensAreDecodedOrRefusedWithANotification() {
        Random random = new Random(5492);
        for (int i = 0; i < 100_000; i++) {
            byte[] m = mutate(BgpMessagesTest.BIRD_OPEN, random);
            try {
                int length = BgpMessages.checkHeader(m, 0);
                if (length == m.length && BgpMessages.type(m, 0) == BgpMessages.OPEN) {
                    BgpMessages.decodeOpen(m, 0, length);
                }
            } catch (BgpProtocolException e) {
                assertThat(e.notification().code()).isBetween(1, 2);
            }
        }
    }

    @Test
    void whatWeEncodeDecodesToTheSamePrefixes() {
        Random random = new Random(4760);
        byte[] attributes = UpdateEncoder.attributes((int) 4200000001L, true, true, Prefix.parseAddress("10.0.0.1"));
        for (int i = 0; i < 200; i++) {
            List<Prefix> prefixes = new ArrayList<>();
            int count = random.nextInt(3000);
            for (int k = 0; k < count; k++) {
                prefixes.add(Prefix.of(random.nextInt(), random.nextInt(33)));
            }
            List<Prefix> announced = new ArrayList<>();
            for (byte[] m : UpdateEncoder.announce(prefixes, attributes)) {
                assertThat(m.length).isLessThanOrEqualTo(BgpMessages.MAX_MESSAGE_LENGTH);
                Result result = UpdateDecoder.decode(m, 0, m.length, new Context(true, true, (int) 4200000001L));
                assertThat(result.approach()).isEqualTo(Approach.NONE);
                result.announced().forEach(route -> announced.add(route.prefix()));
            }
            assertThat(announced).isEqualTo(prefixes);
        }
    }

    private static void assertConsistent(Result result) {
        if (result.approach() == Approach.SESSION_RESET) {
            assertThat(result.notification().code()).isEqualTo(Notification.UPDATE_MESSAGE_ERROR);
            assertThat(result.announced()).isEmpty();
        } else {
            assertThat(result.notification()).isNull();
            if (result.approach() == Approach.TREAT_AS_WITHDRAW) {
                assertThat(result.announced()).isEmpty();
            }
        }
        if (result.approach() != Approach.NONE) {
            assertThat(result.problems()).isNotEmpty();
        }
    }

    /** Flips, truncates or extends the body; the header's length follows the array's. */
    private static byte[] mutate(byte[] original, Random random) {
        byte[] m;
        switch (random.nextInt(3)) {
            case 0 -> m = Arrays.copyOf(original,
                    Math.max(BgpMessages.HEADER_LENGTH + 4, original.length - 1 - random.nextInt(8)));
            case 1 -> {
                m = Arrays.copyOf(original, original.length + 1 + random.nextInt(8));
                for (int k = original.length; k < m.length; k++) {
                    m[k] = (byte) random.nextInt();
                }
            }
            default -> m = original.clone();
        }
        int flips = 1 + random.nextInt(4);
        for (int k = 0; k < flips; k++) {
            int at = BgpMessages.HEADER_LENGTH + random.nextInt(m.length - BgpMessages.HEADER_LENGTH);
            m[at] = random.nextInt(4) == 0 ? (byte) random.nextInt() : (byte) (m[at] ^ (1 << random.nextInt(8)));
        }
        BgpMessages.put16(m, BgpMessages.LENGTH_OFFSET, m.length);
        return m;
    }
}
