package io.isthmus.control.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.PuntReason;
import io.isthmus.control.SaCounters;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.SecurityAssociation.AddressRange;

/**
 * The extended INSTALL_SA (ESN, replay window, ESP in UDP, byte limit) and the SAs section of STATS_RESPONSE, both
 * negotiated by {@link HelloFlyweight#ESP_EXTENDED}, and what a reader of the first version sees of them.
 */
class EspExtendedMessagesTest {

    private static final byte[] KEY = new byte[28];

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) (i * 5 + 3);
        }
    }

    private final ByteBuffer buffer = ByteBuffer.allocate(ControlProtocol.MAX_MESSAGE_LENGTH);

    @Test
    void anExtendedSaRoundTripsWithEsnWindowEncapsulationAndByteLimit() {
        // Given an inbound SA with every extension set
        SecurityAssociation sa = SecurityAssociation.inbound(9, 0xC001_D00D, KEY).withEsn(true).withReplayWindow(4096)
                .withUdpEncapsulation(4500, 4500).withByteLimit(1L << 40);

        // When encoded for a fastpath that takes the extension
        int length = InstallSaFlyweight.encode(buffer, 0, 3, 4, sa, true);

        // Then it decodes back equal, each field in place
        assertThat(length).isEqualTo(InstallSaFlyweight.length(sa, true)).isEqualTo(32 + 28 + 20);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isTrue();
        assertThat(InstallSaFlyweight.isExtended(buffer, 0)).isTrue();
        assertThat(InstallSaFlyweight.esn(buffer, 0)).isTrue();
        assertThat(InstallSaFlyweight.replayWindow(buffer, 0)).isEqualTo(4096);
        assertThat(InstallSaFlyweight.encapsulationSourcePort(buffer, 0)).isEqualTo(4500);
        assertThat(InstallSaFlyweight.encapsulationDestinationPort(buffer, 0)).isEqualTo(4500);
        assertThat(InstallSaFlyweight.byteLimit(buffer, 0)).isEqualTo(1L << 40);
        assertThat(InstallSaFlyweight.decode(buffer, 0)).isEqualTo(sa);
        assertThat(sa.toString()).doesNotContain("keyMaterial").contains("esn", "window=4096", "udp 4500->4500");
    }

    @Test
    void aFirstVersionReaderSeesTheExtendedInstallAsThePlainSaItWas() {
        // Given an extended INSTALL_SA of an SA that needs nothing of the extension
        SecurityAssociation sa = SecurityAssociation.outbound(1, 0x1234_5678, KEY, 0x0A000001, 0x0A000002);
        int length = InstallSaFlyweight.encode(buffer, 0, 3, 4, sa, true);

        // Then the fields of the first version are where they were, and the key is followed by the extension
        assertThat(InstallSaFlyweight.keyMaterial(buffer, 0)).isEqualTo(KEY);
        assertThat(InstallSaFlyweight.tunnelDestination(buffer, 0)).isEqualTo(0x0A000002);
        assertThat(InstallSaFlyweight.decode(buffer, 0)).isEqualTo(sa);
        assertThat(sa.needsExtendedInstall()).isFalse();
        assertThat(length).isEqualTo(InstallSaFlyweight.length(sa) + InstallSaFlyweight.EXTENSION_LENGTH);
    }

    @Test
    void anSaThatNeedsTheExtensionCannotBeEncodedForAnOlderFastpath() {
        SecurityAssociation sa = SecurityAssociation.inbound(0, 0x1000, KEY).withEsn(true);

        assertThat(sa.needsExtendedInstall()).isTrue();
        assertThatThrownBy(() -> InstallSaFlyweight.encode(buffer, 0, 1, 1, sa))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SecurityAssociation.inbound(0, 0x1000, KEY).withReplayWindow(2048).needsExtendedInstall())
                .isTrue();
        assertThat(SecurityAssociation.inbound(0, 0x1000, KEY).withUdpEncapsulation(4500, 4500)
                .needsExtendedInstall()).isTrue();
        assertThat(SecurityAssociation.inbound(0, 0x1000, KEY).withByteLimit(1).needsExtendedInstall()).isTrue();
    }

    @Test
    void anExtensionThatOverrunsTheMessageOrHasABadFieldIsRefused() {
        SecurityAssociation sa = SecurityAssociation.inbound(2, 0x1000, KEY).withReplayWindow(1024);
        int length = InstallSaFlyweight.encode(buffer, 0, 1, 1, sa, true);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length - 1)).isFalse();

        int extension = InstallSaFlyweight.KEY_MATERIAL_OFFSET + KEY.length;
        buffer.putInt(extension + InstallSaFlyweight.REPLAY_WINDOW_OFFSET, SecurityAssociation.MAX_REPLAY_WINDOW + 1);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isFalse();
        buffer.putInt(extension + InstallSaFlyweight.REPLAY_WINDOW_OFFSET, 64);
        buffer.putShort(extension + InstallSaFlyweight.ENCAPSULATION_SOURCE_PORT_OFFSET, (short) 4500);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isFalse();
        buffer.putShort(extension + InstallSaFlyweight.ENCAPSULATION_DESTINATION_PORT_OFFSET, (short) 4500);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isTrue();
        buffer.putLong(extension + InstallSaFlyweight.BYTE_LIMIT_OFFSET, -1);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isFalse();
    }

    @Test
    void anInboundSaRoundTripsWithItsSelectorsAfterTheExtension() {
        // Given an inbound SA letting in 10.2.0.0/16 and 10.3.0.7-10.3.0.9 to 10.1.0.0/24, with ESN
        List<AddressRange> sources = List.of(AddressRange.prefix(0x0A020000, 16),
                new AddressRange(0x0A030007, 0x0A030009));
        List<AddressRange> destinations = List.of(AddressRange.prefix(0x0A010000, 24));
        SecurityAssociation sa = SecurityAssociation.inbound(9, 0xC001_D00D, KEY).withEsn(true)
                .withSelectors(sources, destinations);

        // When encoded for a fastpath that takes the extension
        int length = InstallSaFlyweight.encode(buffer, 0, 3, 4, sa, true);

        // Then the selectors follow the extension, counted, and decode back with the rest of the SA
        assertThat(sa.needsExtendedInstall()).isTrue();
        assertThat(length).isEqualTo(InstallSaFlyweight.length(sa, true)).isEqualTo(32 + 28 + 20 + 4 + 3 * 8);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isTrue();
        assertThat(InstallSaFlyweight.hasSelectors(buffer, 0)).isTrue();
        assertThat(InstallSaFlyweight.esn(buffer, 0)).isTrue();
        assertThat(InstallSaFlyweight.sourceRangeCount(buffer, 0)).isEqualTo(2);
        assertThat(InstallSaFlyweight.destinationRangeCount(buffer, 0)).isEqualTo(1);
        assertThat(buffer.getInt(32 + 28 + 20 + 4)).isEqualTo(0x0A020000);
        assertThat(buffer.getInt(32 + 28 + 20 + 4 + 4)).isEqualTo(0x0A02FFFF);
        assertThat(InstallSaFlyweight.decode(buffer, 0)).isEqualTo(sa);
        assertThat(InstallSaFlyweight.decode(buffer, 0).sourceRanges()).containsExactlyElementsOf(sources);
        assertThat(InstallSaFlyweight.decode(buffer, 0).destinationRanges()).containsExactlyElementsOf(destinations);
        assertThat(sa.toString())
                .contains("selectors [10.2.0.0-10.2.255.255, 10.3.0.7-10.3.0.9] -> [10.1.0.0-10.1.0.255]");
        assertThat(sa).isNotEqualTo(SecurityAssociation.inbound(9, 0xC001_D00D, KEY).withEsn(true));

        // And one side alone may be given (the other: any)
        SecurityAssociation sourcesOnly = SecurityAssociation.inbound(9, 0xC001_D00D, KEY).withSelectors(sources,
                List.of());
        int sourcesOnlyLength = InstallSaFlyweight.encode(buffer, 0, 3, 4, sourcesOnly, true);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, sourcesOnlyLength)).isTrue();
        assertThat(InstallSaFlyweight.decode(buffer, 0)).isEqualTo(sourcesOnly);
    }

    @Test
    void theMostSelectorsFitInOneDatagramOfTheControlProtocol() {
        // Given an AES-256 SA with 64 source and 64 destination ranges
        List<AddressRange> ranges = new ArrayList<>();
        for (int i = 0; i < SecurityAssociation.MAX_SELECTOR_RANGES; i++) {
            ranges.add(new AddressRange(i << 8, i << 8 | 0xFF));
        }
        SecurityAssociation sa = SecurityAssociation.inbound(1, 0x1000, new byte[36]).withSelectors(ranges, ranges);

        // When encoded
        int length = InstallSaFlyweight.encode(buffer, 0, 1, 1, sa, true);

        // Then it is the longest INSTALL_SA, within a batch's bytes, and round-trips
        assertThat(length).isEqualTo(InstallSaFlyweight.MAX_LENGTH)
                .isLessThanOrEqualTo(ControlProtocol.MAX_BATCH_BYTES);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isTrue();
        assertThat(InstallSaFlyweight.decode(buffer, 0)).isEqualTo(sa);

        // And a 65th range is refused by the model
        List<AddressRange> tooMany = new ArrayList<>(ranges);
        tooMany.add(new AddressRange(-1, -1));
        assertThatThrownBy(() -> sa.withSelectors(tooMany, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sa.withSelectors(List.of(), tooMany)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void selectorsThatOverrunTheMessageOrAreMalformedAreRefused() {
        SecurityAssociation sa = SecurityAssociation.inbound(2, 0x1000, KEY)
                .withSelectors(List.of(new AddressRange(0x0A000000, 0x0A0000FF)), List.of(new AddressRange(1, 2)));
        int length = InstallSaFlyweight.encode(buffer, 0, 1, 1, sa, true);
        int selectors = InstallSaFlyweight.KEY_MATERIAL_OFFSET + KEY.length + InstallSaFlyweight.EXTENSION_LENGTH;
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isTrue();

        // cut short: in the last range, in the counts
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length - 1)).isFalse();
        assertThat(InstallSaFlyweight.isValid(buffer, 0, selectors + 2)).isFalse();
        // a range whose end is below its start (unsigned)
        buffer.putInt(selectors + InstallSaFlyweight.RANGES_OFFSET + 4, 0x09FFFFFF);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isFalse();
        buffer.putInt(selectors + InstallSaFlyweight.RANGES_OFFSET + 4, 0x0A0000FF);
        // a count beyond the message, or beyond 64 in a message long enough for it
        buffer.put(selectors + InstallSaFlyweight.DESTINATION_COUNT_OFFSET, (byte) 2);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isFalse();
        buffer.put(selectors + InstallSaFlyweight.DESTINATION_COUNT_OFFSET, (byte) 1);
        buffer.put(selectors + InstallSaFlyweight.SOURCE_COUNT_OFFSET, (byte) 65);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, InstallSaFlyweight.MAX_LENGTH + 8)).isFalse();
        buffer.put(selectors + InstallSaFlyweight.SOURCE_COUNT_OFFSET, (byte) 1);
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isTrue();
        // selectors on an outbound SA
        buffer.put(InstallSaFlyweight.DIRECTION_OFFSET, (byte) SecurityAssociation.Direction.OUTBOUND.code());
        assertThat(InstallSaFlyweight.isValid(buffer, 0, length)).isFalse();
        assertThatThrownBy(() -> SecurityAssociation.outbound(0, 0x1000, KEY, 1, 2)
                .withSelectors(List.of(new AddressRange(1, 2)), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AddressRange(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAddressRangeComparesUnsigned() {
        AddressRange upper = AddressRange.prefix(0xC0A80000, 16);
        assertThat(upper).isEqualTo(new AddressRange(0xC0A80000, 0xC0A8FFFF));
        assertThat(upper.contains(0xC0A80101)).isTrue();
        assertThat(upper.contains(0x0A000001)).isFalse();
        assertThat(AddressRange.prefix(0, 0).contains(0xFFFFFFFF)).isTrue();
        assertThat(new AddressRange(0x7FFFFFFF, 0x80000001).contains(0x80000000)).isTrue();
    }

    @Test
    void theSaModelRefusesAWindowBeyondTheMaximumAndHalfAnEncapsulation() {
        SecurityAssociation sa = SecurityAssociation.inbound(0, 0x1000, KEY);
        assertThatThrownBy(() -> sa.withReplayWindow(SecurityAssociation.MAX_REPLAY_WINDOW + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sa.withUdpEncapsulation(0, 4500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sa.withByteLimit(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(sa.effectiveReplayWindow()).isEqualTo(1024);
        assertThat(sa.withReplayWindow(4096).effectiveReplayWindow()).isEqualTo(4096);
    }

    @Test
    void statsResponseCarriesTheInstalledSasAfterTheGroups() {
        // Given a fastpath's counters, one counter group and two SAs installed in slots 1 and 3 of 4
        long[] counters = new long[FastpathStats.COUNTER_COUNT];
        counters[FastpathStats.NAT_KEEPALIVES_INDEX] = 6;
        long[] groups = new long[8];
        groups[2] = 10;
        groups[3] = 1000;
        FakeSas sas = new FakeSas();

        // When encoded and decoded
        int length = StatsResponseFlyweight.encode(buffer, 0, 1, 2, counters, counters.length, groups, sas);
        FastpathStats stats = StatsResponseFlyweight.decode(buffer, 0, length);

        // Then the SAs come back in slot order, the groups and counters as they were
        assertThat(stats.securityAssociations()).containsExactly(new SaCounters(1, 0x1001, 11, 12, 13, 14, 15),
                new SaCounters(3, 0x1003, 31, 32, 33, 34, 35));
        assertThat(stats.natKeepalives()).isEqualTo(6);
        assertThat(StatsResponseFlyweight.groups(buffer, 0, length)).containsOnlyKeys(1);
        assertThat(length).isEqualTo(StatsResponseFlyweight.COUNTERS_OFFSET + counters.length * 8
                + StatsResponseFlyweight.GROUPS_HEADER_LENGTH + StatsResponseFlyweight.GROUP_LENGTH
                + StatsResponseFlyweight.SAS_HEADER_LENGTH + 2 * StatsResponseFlyweight.SA_LENGTH);
    }

    @Test
    void aStatsResponseWithoutTheSasSectionHasNoSasAndAnOverrunIsMalformed() {
        long[] counters = new long[FastpathStats.COUNTER_COUNT];
        int withGroups = StatsResponseFlyweight.encode(buffer, 0, 1, 2, counters, counters.length, new long[4]);
        assertThat(StatsResponseFlyweight.securityAssociations(buffer, 0, withGroups)).isEmpty();
        assertThat(StatsResponseFlyweight.decode(buffer, 0, withGroups).securityAssociations()).isEmpty();

        int length = StatsResponseFlyweight.encode(buffer, 0, 1, 2, counters, counters.length, new long[4],
                new FakeSas());
        assertThat(StatsResponseFlyweight.securityAssociations(buffer, 0, length - 1)).isNull();
        // an older reader of the first counters only still reads them
        assertThat(StatsResponseFlyweight.decode(buffer, 0, length).packets()).isZero();
    }

    @Test
    void nonEspHasAPuntReasonName() {
        assertThat(PuntReason.name(PuntReason.NON_ESP)).isEqualTo("NON_ESP");
        assertThat(HelloFlyweight.ESP_EXTENDED).isEqualTo(1 << 8);
        assertThat(List.of(HelloFlyweight.REINJECT_BATCH, HelloFlyweight.INSTALL_SA, HelloFlyweight.INSTALL_ROUTE,
                HelloFlyweight.ROUTE_BATCH, HelloFlyweight.TRANSMIT, HelloFlyweight.TIMEOUTS, HelloFlyweight.FLOW_DUMP,
                HelloFlyweight.COUNT_GROUPS)).allSatisfy(
                        flag -> assertThat(flag & HelloFlyweight.ESP_EXTENDED)
                                .isZero());
    }

    @Test
    void countersOfAnOlderFastpathReadAsZeroForTheNewOnesAndSaCountersSumOverFastpaths() {
        long[] older = new long[20];
        older[FastpathStats.PACKETS_INDEX] = 5;
        FastpathStats stats = FastpathStats.of(older);
        assertThat(stats.packets()).isEqualTo(5);
        assertThat(stats.natKeepalives()).isZero();
        assertThat(stats.securityAssociations()).isEmpty();

        SaCounters one = new SaCounters(2, 0x1000, 1, 100, 2, 3, 4);
        SaCounters other = new SaCounters(2, 0x1000, 10, 1000, 20, 30, 40);
        assertThat(one.plus(other)).isEqualTo(new SaCounters(2, 0x1000, 11, 1100, 22, 33, 44));
        assertThat(one.isBelow(other)).isTrue();
        assertThat(other.isBelow(one)).isFalse();
    }

    /** Slots 1 and 3 of 4 installed, counters derived from the slot. */
    private static final class FakeSas implements StatsResponseFlyweight.SaCountersSource {
        @Override
        public int capacity() {
            return 4;
        }

        @Override
        public boolean isInstalled(int index) {
            return index == 1 || index == 3;
        }

        @Override
        public int spi(int index) {
            return 0x1000 + index;
        }

        @Override
        public long packets(int index) {
            return index * 10L + 1;
        }

        @Override
        public long bytes(int index) {
            return index * 10L + 2;
        }

        @Override
        public long replays(int index) {
            return index * 10L + 3;
        }

        @Override
        public long authFailures(int index) {
            return index * 10L + 4;
        }

        @Override
        public long otherDrops(int index) {
            return index * 10L + 5;
        }
    }
}
