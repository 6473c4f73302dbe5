package io.isthmus.vnf.cen.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.isthmus.vnf.cen.bgp.UpdateDecoder.Approach;
import io.isthmus.vnf.cen.bgp.UpdateDecoder.Context;
import io.isthmus.vnf.cen.bgp.UpdateDecoder.Result;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateEncoderTest {

    private static final int AS_4200000001 = (int) 4200000001L;
    private static final int NEXT_HOP = Prefix.parseAddress("127.13.0.1");

    @Test
    void ebgpAnnouncementPrependsOurAsAndSetsOurNextHop() {
        byte[] attributes = UpdateEncoder.attributes(AS_4200000001, true, true, NEXT_HOP);

        List<byte[]> messages = UpdateEncoder.announce(List.of(Prefix.parse("240.9.0.0/24")), attributes);

        assertThat(messages).hasSize(1);
        assertThat(HexFormat.of().formatHex(messages.getFirst())).isEqualTo("ff".repeat(16) + "002f" + "02" + "0000"
                + "0014" + "40010100" + "4002060201fa56ea01" + "4003047f0d0001" + "18f00900");
        Result decoded = decode(messages.getFirst(), new Context(true, true, AS_4200000001));
        assertThat(decoded.announced()).containsExactly(new LearnedRoute(Prefix.parse("240.9.0.0/24"), NEXT_HOP,
                List.of(AS_4200000001), 0, 100, LearnedRoute.ORIGIN_IGP));
    }

    @Test
    void twoOctetSessionGetsAsTransAndAs4Path() {
        byte[] attributes = UpdateEncoder.attributes(AS_4200000001, true, false, NEXT_HOP);

        assertThat(HexFormat.of().formatHex(attributes)).isEqualTo(
                "40010100" + "40020402015ba0" + "c0110602" + "01fa56ea01" + "4003047f0d0001");
    }

    @Test
    void ibgpAnnouncementHasAnEmptyAsPathAndLocalPref() {
        byte[] attributes = UpdateEncoder.attributes(65010, false, true, NEXT_HOP);

        Result decoded = decode(UpdateEncoder.announce(List.of(Prefix.parse("10.0.0.0/8")), attributes).getFirst(),
                new Context(true, false, 65010));

        assertThat(decoded.approach()).isEqualTo(Approach.NONE);
        assertThat(decoded.announced()).containsExactly(new LearnedRoute(Prefix.parse("10.0.0.0/8"), NEXT_HOP,
                List.of(), 0, 100, LearnedRoute.ORIGIN_IGP));
    }

    @Test
    void manyPrefixesArePackedIntoUpdatesOfAtMost4096Octets() {
        List<Prefix> prefixes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            prefixes.add(Prefix.of(0xF000_0000 | i << 8, 24));
        }
        prefixes.add(Prefix.parse("0.0.0.0/0"));
        prefixes.add(Prefix.parse("192.0.2.1/32"));
        byte[] attributes = UpdateEncoder.attributes(AS_4200000001, true, true, NEXT_HOP);

        List<byte[]> messages = UpdateEncoder.announce(prefixes, attributes);

        assertThat(messages).allSatisfy(m -> assertThat(m.length).isLessThanOrEqualTo(4096));
        // 4096 - 19 - 4 - 20 octets of attributes leave room for 1013 /24s
        assertThat(messages).hasSize(5);
        List<Prefix> decoded = new ArrayList<>();
        for (byte[] m : messages) {
            decoded.addAll(decode(m, new Context(true, true, AS_4200000001)).announced().stream()
                    .map(LearnedRoute::prefix).toList());
        }
        assertThat(decoded).isEqualTo(prefixes);
    }

    @Test
    void withdrawalsArePackedToo() {
        List<Prefix> prefixes = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            prefixes.add(Prefix.of(0xF000_0000 | i << 8, 24));
        }

        List<byte[]> messages = UpdateEncoder.withdraw(prefixes);

        assertThat(messages).hasSize(3).allSatisfy(m -> assertThat(m.length).isLessThanOrEqualTo(4096));
        List<Prefix> decoded = new ArrayList<>();
        for (byte[] m : messages) {
            Result result = decode(m, new Context(true, true, AS_4200000001));
            assertThat(result.approach()).isEqualTo(Approach.NONE);
            decoded.addAll(result.withdrawn());
        }
        assertThat(decoded).isEqualTo(prefixes);
    }

    private static Result decode(byte[] m, Context context) {
        return UpdateDecoder.decode(m, 0, m.length, context);
    }
}
