package io.isthmus.nfvo.integration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.nfvo.config.NfvoConfig;
import io.isthmus.sol.client.RemoteCallException;
import io.quarkus.scheduler.Scheduled;

/** Subscribes this NFVO to the VNFM's LCM notifications once the VNFM answers; repeated safely (the VNFM dedups). */
@ApplicationScoped
public class VnfmSubscriber {

    private static final Logger LOG = Logger.getLogger(VnfmSubscriber.class);
    public static final String CALLBACK_PATH = "/callbacks/v2/vnflcm";

    private final VnfmClient vnfm;
    private final NfvoConfig config;
    private volatile boolean subscribed;

    public VnfmSubscriber(VnfmClient vnfm, NfvoConfig config) {
        this.vnfm = vnfm;
        this.config = config;
    }

    @Scheduled(every = "${isthmus.nfvo.subscribe-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void ensureSubscribed() {
        if (subscribed) {
            return;
        }
        try {
            int status = vnfm.subscribe(config.publicUrl() + CALLBACK_PATH);
            subscribed = true;
            LOG.infof("Subscribed to the VNFM's LCM notifications (%d)", status);
        } catch (RemoteCallException e) {
            if (e.status() == 0) {
                LOG.debugf("VNFM not reachable for subscription yet: %s", e.getMessage());
            } else {
                LOG.warnf("The VNFM refused this NFVO's subscription (will retry): %s", e.getMessage());
            }
        }
    }

    public boolean subscribed() {
        return subscribed;
    }
}
