package io.isthmus.vnfm.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.isthmus.sol.model.ScaleInfo;
import io.isthmus.vnfm.persistence.OperationPhase;
import io.isthmus.vnfm.persistence.VnfcResource;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.sol.model.LccnSubscription;
import io.isthmus.sol.model.Link;
import io.isthmus.sol.model.VnfInstance;
import io.isthmus.sol.model.VnfLcmOpOcc;
import io.isthmus.sol.secret.ConfigSecrets;
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

    URI snapshotUri(String id) {
        return URI.create(base + "/vnf_snapshots/" + id);
    }

    URI subscriptionUri(String id) {
        return URI.create(base + "/subscriptions/" + id);
    }

    VnfInstance instance(VnfInstanceEntity e) {
        String self = instanceUri(e.id()).toString();
        VnfInstance.InstantiatedVnfInfo info = null;
        if (e.isInstantiated()) {
            info = new VnfInstance.InstantiatedVnfInfo(e.flavourId(), e.vnfState(), scaleInfo(e.scaleStatus()),
                    scaleInfo(e.maxScaleLevels()), extCpInfo(e), e.vnfcResources().stream()
                            .map(v -> new VnfInstance.VnfcResourceInfo(v.id(), v.vduId(),
                                    new VnfInstance.ResourceHandle(v.vimConnectionId(), v.resourceId(),
                                            v.vimLevelResourceType()),
                                    v.metadata()))
                            .toList());
        }
        VnfInstance.Links links = new VnfInstance.Links(Link.to(self), null,
                e.isInstantiated() ? null : Link.to(self + "/instantiate"),
                e.isInstantiated() ? Link.to(self + "/terminate") : null,
                e.isInstantiated() && !e.maxScaleLevels().isEmpty() ? Link.to(self + "/scale") : null,
                e.isInstantiated() && !e.maxScaleLevels().isEmpty() ? Link.to(self + "/scale_to_level") : null,
                e.isInstantiated() ? Link.to(self + "/change_flavour") : null,
                e.isInstantiated() ? Link.to(self + "/heal") : null,
                e.isInstantiated() ? Link.to(self + "/operate") : null,
                e.isInstantiated() ? Link.to(self + "/change_ext_conn") : null,
                e.isInstantiated() ? Link.to(self + "/create_snapshot") : null,
                e.isInstantiated() ? Link.to(self + "/revert_to_snapshot") : null);
        return new VnfInstance(e.id(), e.name(), e.description(), e.vnfdId(), e.vnfProvider(), e.vnfProductName(),
                e.vnfSoftwareVersion(), e.vnfdVersion(), ConfigSecrets.redact(e.vnfConfiguration()),
                e.instantiationState().name(), info,
                e.metadata() == null ? Map.of() : e.metadata(), e.extensions(), links);
    }

    VnfLcmOpOcc opOcc(LcmOpOccEntity e) {
        String self = opOccUri(e.id()).toString();
        boolean failedTemp = e.state() == LcmOperationState.FAILED_TEMP;
        boolean running = e.state() == LcmOperationState.STARTING || e.state() == LcmOperationState.PROCESSING
                || e.state() == LcmOperationState.ROLLING_BACK;
        VnfLcmOpOcc.Links links = new VnfLcmOpOcc.Links(Link.to(self),
                Link.to(instanceUri(e.vnfInstanceId()).toString()),
                e.grantId() == null ? null : Link.to(nfvoUrl + "/grant/v1/grants/" + e.grantId()),
                running ? Link.to(self + "/cancel") : null,
                failedTemp && e.phase() == OperationPhase.FORWARD ? Link.to(self + "/retry") : null,
                failedTemp && e.operation().canRollBack() ? Link.to(self + "/rollback") : null,
                failedTemp ? Link.to(self + "/fail") : null);
        return new VnfLcmOpOcc(e.id(), e.state().name(), e.stateEnteredTime(), e.startTime(), e.vnfInstanceId(),
                e.grantId(), e.operation().name(), e.automaticInvocation(),
                e.operationParams() == null ? Map.of() : ConfigSecrets.redact(e.operationParams()), e.cancelPending(),
                e.error(), links);
    }

    private static List<ScaleInfo> scaleInfo(Map<String, Integer> levels) {
        if (levels == null || levels.isEmpty()) {
            return null;
        }
        return levels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(l -> new ScaleInfo(l.getKey(), null, l.getValue())).toList();
    }

    /**
     * contracts.md "Ingress": each external connection point takes traffic on the fastpaths of the published ingress
     * that run (a fastpath the vim found dead is left out at once); senders spread flows over them by the rendezvous
     * hash.
     */
    static List<VnfInstance.VnfExtCpInfo> extCpInfo(VnfInstanceEntity e) {
        List<String> ingress = e.ingress() == null
                ? e.vnfcResources().stream().filter(v -> v.metadata() != null && v.metadata().get("dataPort") != null)
                        .map(VnfcResource::id).toList()
                : e.ingress();
        List<Map<String, Object>> endpoints = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (VnfcResource v : e.vnfcResources()) {
            Map<String, Object> m = v.metadata() == null ? Map.of() : v.metadata();
            if (!ingress.contains(v.id()) || m.get("dataPort") == null
                    || m.get("status") != null && !"RUNNING".equals(m.get("status"))) {
                continue;
            }
            Map<String, Object> endpoint = new LinkedHashMap<>();
            endpoint.put("vnfcId", v.id());
            endpoint.put("address", m.get("host") + ":" + m.get("dataPort"));
            endpoints.add(endpoint);
            if (!hosts.contains(String.valueOf(m.get("host")))) {
                hosts.add(String.valueOf(m.get("host")));
            }
        }
        List<String> cps = e.extCps().isEmpty() ? List.of("ingress") : e.extCps();
        List<VnfInstance.VnfExtCpInfo> out = new ArrayList<>();
        for (String cp : cps) {
            Map<String, Object> ipOverEthernet = Map.of("ipAddresses",
                    List.of(Map.of("type", "IPV4", "addresses", hosts)));
            out.add(new VnfInstance.VnfExtCpInfo(cp, cp, cp, null,
                    List.of(new VnfInstance.CpProtocolInfo("IP_OVER_ETHERNET", ipOverEthernet)),
                    Map.of("ingress", Map.of("hash", "rendezvous-v1", "endpoints", endpoints))));
        }
        return out;
    }

    LccnSubscription subscription(LccnSubscriptionEntity e) {
        return new LccnSubscription(e.id(), e.filter(), e.callbackUri(),
                new LccnSubscription.Links(Link.to(subscriptionUri(e.id()).toString())));
    }
}
