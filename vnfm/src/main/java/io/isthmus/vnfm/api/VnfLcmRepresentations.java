package io.isthmus.vnfm.api;

import java.net.URI;
import java.util.Map;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.model.LccnSubscription;
import io.isthmus.sol.model.Link;
import io.isthmus.sol.model.VnfInstance;
import io.isthmus.sol.model.VnfLcmOpOcc;
import io.isthmus.vnfm.persistence.LccnSubscriptionEntity;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;

/** The SOL003 representations of the vnfm's resources, with absolute links under the request's base URI. */
final class VnfLcmRepresentations {

    static final String ROOT = "vnflcm/v2";

    private final String base;
    private final String nfvoUrl;

    VnfLcmRepresentations(URI baseUri, String nfvoUrl) {
        String b = baseUri.toString();
        this.base = (b.endsWith("/") ? b : b + "/") + ROOT;
        this.nfvoUrl = nfvoUrl.endsWith("/") ? nfvoUrl.substring(0, nfvoUrl.length() - 1) : nfvoUrl;
    }

    URI instanceUri(String id) {
        return URI.create(base + "/vnf_instances/" + id);
    }

    URI opOccUri(String id) {
        return URI.create(base + "/vnf_lcm_op_occs/" + id);
    }

    URI subscriptionUri(String id) {
        return URI.create(base + "/subscriptions/" + id);
    }

    VnfInstance instance(VnfInstanceEntity e) {
        String self = instanceUri(e.id()).toString();
        VnfInstance.InstantiatedVnfInfo info = null;
        if (e.isInstantiated()) {
            info = new VnfInstance.InstantiatedVnfInfo(e.flavourId(), e.vnfState(), null, null, null,
                    e.vnfcResources().stream()
                            .map(v -> new VnfInstance.VnfcResourceInfo(v.id(), v.vduId(),
                                    new VnfInstance.ResourceHandle(v.vimConnectionId(), v.resourceId(),
                                            v.vimLevelResourceType()),
                                    v.metadata()))
                            .toList());
        }
        VnfInstance.Links links = new VnfInstance.Links(Link.to(self), null,
                e.isInstantiated() ? null : Link.to(self + "/instantiate"),
                e.isInstantiated() ? Link.to(self + "/terminate") : null, null, null, null, null, null, null, null,
                null);
        return new VnfInstance(e.id(), e.name(), e.description(), e.vnfdId(), e.vnfProvider(), e.vnfProductName(),
                e.vnfSoftwareVersion(), e.vnfdVersion(), e.vnfConfiguration(), e.instantiationState().name(), info,
                e.metadata() == null ? Map.of() : e.metadata(), null, links);
    }

    VnfLcmOpOcc opOcc(LcmOpOccEntity e) {
        String self = opOccUri(e.id()).toString();
        boolean failedTemp = e.state() == LcmOperationState.FAILED_TEMP;
        VnfLcmOpOcc.Links links = new VnfLcmOpOcc.Links(Link.to(self),
                Link.to(instanceUri(e.vnfInstanceId()).toString()),
                e.grantId() == null ? null : Link.to(nfvoUrl + "/grant/v1/grants/" + e.grantId()), null,
                failedTemp ? Link.to(self + "/retry") : null, null, failedTemp ? Link.to(self + "/fail") : null);
        return new VnfLcmOpOcc(e.id(), e.state().name(), e.stateEnteredTime(), e.startTime(), e.vnfInstanceId(),
                e.grantId(), e.operation().name(), e.automaticInvocation(),
                e.operationParams() == null ? Map.of() : e.operationParams(), e.cancelPending(), e.error(), links);
    }

    LccnSubscription subscription(LccnSubscriptionEntity e) {
        return new LccnSubscription(e.id(), e.filter(), e.callbackUri(),
                new LccnSubscription.Links(Link.to(subscriptionUri(e.id()).toString())));
    }
}
