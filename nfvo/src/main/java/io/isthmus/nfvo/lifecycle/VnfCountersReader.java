package io.isthmus.nfvo.lifecycle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.integration.VnfmClient;
import io.isthmus.nfvo.persistence.NsVnfRepository;
import io.isthmus.nfvo.persistence.NsVnfRepository.CountedVnf;
import io.isthmus.sol.client.RemoteCallException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Reads the data-plane counters of every instantiated VNF of every instantiated NS from the VNFM, once per
 * {@code isthmus.nfvo.counters.interval}, and keeps each VNF's last reading for the NS view, so a GET of an NS never
 * calls the VNFM. One call per VNF per round ({@code GET /vnfind/v1/indicators/{id}}, its {@code dataplane.*}
 * indicators); a VNF whose call fails keeps its last reading, and is logged once (WARN) until it answers again.
 */
@ApplicationScoped
public class VnfCountersReader {

    private static final Logger LOG = Logger.getLogger(VnfCountersReader.class);
    static final String PACKETS = "dataplane.packets";
    static final String BYTES = "dataplane.bytes";
    static final String DROPS = "dataplane.drops";
    private static final List<String> INDICATORS = List.of(PACKETS, BYTES, DROPS);

    private final NsVnfRepository vnfs;
    private final VnfmClient vnfm;
    private final Clock clock;
    /** The VNF instances whose last read failed: logged when their failures began, not at every round. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    public VnfCountersReader(NsVnfRepository vnfs, VnfmClient vnfm, Clock clock) {
        this.vnfs = vnfs;
        this.vnfm = vnfm;
        this.clock = clock;
    }

    @Scheduled(every = "${isthmus.nfvo.counters.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void round() {
        try {
            List<CountedVnf> counted = QuarkusTransaction.requiringNew().call(vnfs::counted);
            counted.forEach(this::read);
            failing.retainAll(counted.stream().map(CountedVnf::vnfInstanceId).toList());
            QuarkusTransaction.requiringNew().run(vnfs::forgetUncountedCounters);
        } catch (RuntimeException e) {
            // the database failed us (or is closing): the view keeps the last readings, the next round reads again
            LOG.warnf("The VNFs' data-plane counters were not read this round: %s", e.toString());
        }
    }

    private void read(CountedVnf vnf) {
        Instant readAt = clock.instant();
        Map<String, Object> values;
        try {
            values = vnfm.indicators(vnf.vnfInstanceId(), INDICATORS);
        } catch (RemoteCallException e) {
            if (failing.add(vnf.vnfInstanceId())) {
                LOG.warnf("The data-plane counters of VNF instance %s could not be read; the NS view shows the last"
                        + " ones until it answers: %s", vnf.vnfInstanceId(), e.getMessage());
            }
            return;
        }
        if (failing.remove(vnf.vnfInstanceId())) {
            LOG.infof("The data-plane counters of VNF instance %s are read again", vnf.vnfInstanceId());
        }
        if (values.get(PACKETS) instanceof Number packets && values.get(BYTES) instanceof Number bytes
                && values.get(DROPS) instanceof Number drops) {
            QuarkusTransaction.requiringNew().run(() -> vnfs.recordCounters(vnf, packets.longValue(),
                    bytes.longValue(), drops.longValue(), readAt));
        } else {
            // not instantiated on the VNFM (any more): the VnfInstance the NS view shows follows at its next read
            LOG.debugf("VNF instance %s has no data-plane indicators now: %s", vnf.vnfInstanceId(), values);
        }
    }
}
