package io.isthmus.slowpath.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.SaCounters;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.SecurityAssociationInstall;
import io.isthmus.slowpath.policy.SecurityAssociationRemoval;
import io.isthmus.slowpath.service.SlowpathService;
import io.isthmus.slowpath.service.SlowpathStats;
import io.isthmus.slowpath.testing.RecordingPolicy;

/**
 * The SAs' counters, from STATS_RESPONSEs made by hand: summed over the fastpaths per slot for the SPI installed there,
 * never going down when a fastpath starts again or leaves, afresh for an SA rekeyed into its slot; handed to the policy
 * on the policy thread's refresh and shown by {@code GET /stats} under {@code securityAssociations}.
 */
class SecurityAssociationCountersTest {

    private static final InetSocketAddress CONTROL_A = new InetSocketAddress("127.0.0.1", 50001);
    private static final InetSocketAddress CONTROL_A2 = new InetSocketAddress("127.0.0.1", 50011);
    private static final InetSocketAddress CONTROL_B = new InetSocketAddress("127.0.0.1", 50002);
    private static final InetSocketAddress DATA = new InetSocketAddress("127.0.0.1", 40001);
    private static final FastpathStats STATS = FastpathStats.of(new long[FastpathStats.COUNTER_COUNT]);
    private static final int SPI = 0xC0010001; // above 2^31: shown unsigned
    private static final int REKEYED_SPI = 0x00020002;

    private Instant now = Instant.parse("2026-12-03T08:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };
    private final FastpathRegistry registry = new FastpathRegistry(clock, Duration.ofSeconds(5));

    @Test
    void eachSlotIsSummedOverTheFastpathsForTheSpiInstalledThere() {
        // Given two fastpaths counting slot 1 (SPI) and slot 2 (another SPI)
        registry.onHello(1, CONTROL_A, DATA);
        registry.onHello(2, CONTROL_B, DATA);
        registry.recordStats(1, CONTROL_A, STATS, Map.of(), List.of(sa(1, SPI, 10, 1_000, 1, 2, 3),
                sa(2, 0x2202, 5, 500, 0, 0, 0)));
        registry.recordStats(2, CONTROL_B, STATS, Map.of(), List.of(sa(1, SPI, 7, 700, 0, 1, 0)));

        // When the totals of slots 1 and 3 for the SPIs installed there are asked for
        Map<Integer, SaCounters> totals = registry.securityAssociationTotals(Map.of(1, SPI, 3, 0x3303));

        // Then slot 1 is both fastpaths' sum, slot 3 (reported by none) zeros, slot 2 (not asked) absent
        assertThat(totals).containsExactly(Map.entry(1, sa(1, SPI, 17, 1_700, 1, 3, 3)),
                Map.entry(3, sa(3, 0x3303, 0, 0, 0, 0, 0)));
    }

    @Test
    void theSumNeverGoesDownWhenAFastpathStartsAgainOrLeaves() {
        registry.onHello(1, CONTROL_A, DATA);
        registry.onHello(2, CONTROL_B, DATA);
        registry.recordStats(1, CONTROL_A, STATS, Map.of(), List.of(sa(1, SPI, 10, 1_000, 1, 0, 0)));
        registry.recordStats(2, CONTROL_B, STATS, Map.of(), List.of(sa(1, SPI, 7, 700, 0, 0, 0)));

        // When fastpath 1 counts the SA afresh (it started again, same address), then moves to a new address and
        // counts afresh again, and fastpath 2 is retired
        registry.recordStats(1, CONTROL_A, STATS, Map.of(), List.of(sa(1, SPI, 2, 200, 0, 0, 0)));
        registry.onHello(1, CONTROL_A2, DATA);
        registry.recordStats(1, CONTROL_A2, STATS, Map.of(), List.of(sa(1, SPI, 1, 100, 0, 0, 0)));
        registry.retire(2);

        // Then nothing counted is lost
        assertThat(registry.securityAssociationTotals(Map.of(1, SPI)))
                .containsExactly(Map.entry(1, sa(1, SPI, 20, 2_000, 1, 0, 0)));
    }

    @Test
    void anSaRekeyedIntoItsSlotCountsAfreshForItsNewSpi() {
        registry.onHello(1, CONTROL_A, DATA);
        registry.recordStats(1, CONTROL_A, STATS, Map.of(), List.of(sa(1, SPI, 10, 1_000, 0, 0, 0)));

        // When the fastpath reports slot 1 with the SPI of the SA that replaced the first one there
        registry.recordStats(1, CONTROL_A, STATS, Map.of(), List.of(sa(1, REKEYED_SPI, 3, 300, 0, 0, 0)));

        // Then the new SA's counters are its own, and the old one's are still there for its SPI
        assertThat(registry.securityAssociationTotals(Map.of(1, REKEYED_SPI)))
                .containsExactly(Map.entry(1, sa(1, REKEYED_SPI, 3, 300, 0, 0, 0)));
        assertThat(registry.securityAssociationTotals(Map.of(1, SPI)))
                .containsExactly(Map.entry(1, sa(1, SPI, 10, 1_000, 0, 0, 0)));
    }

    @Test
    void thePolicyGetsTheCountersOfItsSasOnItsRefreshAndStatsShowsThem() throws Exception {
        // Given a fastpath, and a policy whose configuration installs two SAs and removes one of them
        List<Integer> sent = new CopyOnWriteArrayList<>();
        ControlSender sender = (buffer, offset, length, to) -> sent.add(ControlProtocol.type(buffer, offset));
        RecordingPolicy policy = new RecordingPolicy();
        SlowpathCounters counters = new SlowpathCounters();
        PolicyDriver driver = new PolicyDriver(policy, registry, sender, counters, new HealthProber(clock), clock);
        registry.onHello(1, CONTROL_A, DATA, HelloFlyweight.INSTALL_SA | HelloFlyweight.ESP_EXTENDED);
        policy.reconfigureWith(Reconfiguration.update(List.<Install>of(
                new SecurityAssociationInstall(SecurityAssociation.inbound(1, SPI, new byte[20])),
                new SecurityAssociationInstall(SecurityAssociation.inbound(2, 0x2202, new byte[20])),
                new SecurityAssociationRemoval(2)), List.of(), "two SAs, one removed"));
        driver.configure(new ObjectMapper().readTree("{\"valid\": true}"));

        // When the policy thread refreshes, then the fastpath's answer comes, then it refreshes again twice
        driver.refreshOnPolicyThread();
        assertThat(sent).contains(ControlProtocol.STATS_REQUEST);
        registry.recordStats(1, CONTROL_A, STATS, Map.of(), List.of(sa(1, SPI, 10, 1_000, 1, 2, 3),
                sa(2, 0x2202, 5, 500, 0, 0, 0)));
        driver.refreshOnPolicyThread();
        driver.refreshOnPolicyThread();

        // Then the policy got the counters of its SA once (not of the one removed)
        assertThat(policy.saCounters).containsExactly(Map.of(1, sa(1, SPI, 10, 1_000, 1, 2, 3)));

        // And GET /stats shows them by slot, the SPI unsigned
        SlowpathService service = new SlowpathService(registry, driver, new StatsCollector(registry,
                new FastpathMessenger(sender)), counters, new ControlQueue(1 << 16), Duration.ZERO, clock);
        SlowpathStats stats = service.stats();
        JsonNode json = new ObjectMapper().valueToTree(stats).path("securityAssociations");
        assertThat(json.properties()).hasSize(1);
        assertThat(json.path("1").path("spi").asLong()).isEqualTo(0xC0010001L);
        assertThat(json.path("1").path("packets").asLong()).isEqualTo(10);
        assertThat(json.path("1").path("bytes").asLong()).isEqualTo(1_000);
        assertThat(json.path("1").path("replays").asLong()).isEqualTo(1);
        assertThat(json.path("1").path("authFailures").asLong()).isEqualTo(2);
        assertThat(json.path("1").path("otherDrops").asLong()).isEqualTo(3);
        assertThat(counters.errors.get()).isZero();
    }

    private static SaCounters sa(int slot, int spi, long packets, long bytes, long replays, long authFailures,
            long otherDrops) {
        return new SaCounters(slot, spi, packets, bytes, replays, authFailures, otherDrops);
    }
}
