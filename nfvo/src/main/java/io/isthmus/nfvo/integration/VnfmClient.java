package io.isthmus.nfvo.integration;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.client.SolHttpClient;
import io.isthmus.sol.model.CreateVnfRequest;
import io.isthmus.sol.model.InstantiateVnfRequest;
import io.isthmus.sol.model.LccnSubscription;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.model.TerminateVnfRequest;
import io.isthmus.sol.model.VnfInstance;
import io.isthmus.sol.model.VnfLcmOpOcc;

/** The NFVO's side of SOL003 VNF LCM (Or-Vnfm). */
@ApplicationScoped
public class VnfmClient {

    private static final String BASE = "/vnflcm/v2";

    private final SolHttpClient vnfm;

    public VnfmClient(@Named("vnfm") SolHttpClient vnfm) {
        this.vnfm = vnfm;
    }

    public VnfInstance create(String vnfdId, String name, String tenant, String nsInstanceId) {
        return vnfm.post(BASE + "/vnf_instances",
                new CreateVnfRequest(vnfdId, name, null, Map.of("tenant", tenant, "nsInstanceId", nsInstanceId)),
                VnfInstance.class).body();
    }

    /** Starts instantiation; returns the id of the VNF LCM operation occurrence. */
    public String instantiate(String vnfInstanceId, Map<String, Object> additionalParams) {
        return opId(vnfm.post(BASE + "/vnf_instances/" + vnfInstanceId + "/instantiate",
                new InstantiateVnfRequest("default", null, additionalParams, null), Void.class));
    }

    public String terminate(String vnfInstanceId) {
        return opId(vnfm.post(BASE + "/vnf_instances/" + vnfInstanceId + "/terminate",
                new TerminateVnfRequest("FORCEFUL", null), Void.class));
    }

    public void delete(String vnfInstanceId) {
        try {
            vnfm.delete(BASE + "/vnf_instances/" + vnfInstanceId, Void.class);
        } catch (RemoteCallException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    public VnfInstance get(String vnfInstanceId) {
        return vnfm.get(BASE + "/vnf_instances/" + vnfInstanceId, VnfInstance.class).body();
    }

    public VnfLcmOpOcc op(String opId) {
        return vnfm.get(BASE + "/vnf_lcm_op_occs/" + opId, VnfLcmOpOcc.class).body();
    }

    public int subscribe(String callbackUri) {
        return vnfm.post(BASE + "/subscriptions", new LccnSubscriptionRequest(
                new LccnSubscriptionRequest.Filter(java.util.List.of("VnfLcmOperationOccurrenceNotification"), null,
                        null),
                callbackUri), LccnSubscription.class).status();
    }

    private static String opId(SolHttpClient.Reply<?> reply) {
        String location = reply.location()
                .orElseThrow(() -> new RemoteCallException("the VNFM answered without a Location", 502, null));
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
