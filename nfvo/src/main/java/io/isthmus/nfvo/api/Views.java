package io.isthmus.nfvo.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.nfvo.config.NfvoConfig;
import io.isthmus.nfvo.persistence.NsInstanceEntity;
import io.isthmus.nfvo.persistence.NsLcmOpOccEntity;
import io.isthmus.nfvo.persistence.NsOperationType;
import io.isthmus.nfvo.persistence.NsVnfEntity;
import io.isthmus.nfvo.persistence.NsdEntity;
import io.isthmus.nfvo.persistence.SubscriptionEntity;
import io.isthmus.nfvo.persistence.VnfCountersEntity;
import io.isthmus.nfvo.persistence.VnfPackageEntity;
import io.isthmus.nfvo.service.Json;
import io.isthmus.nfvo.service.NextHops;
import io.isthmus.nfvo.service.NsLcmService;
import io.isthmus.nfvo.service.NsdService;
import io.isthmus.nfvo.persistence.NsLcmOperationState;
import io.isthmus.sol.model.LccnSubscription;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.model.Link;
import io.isthmus.sol.model.NsInstance;
import io.isthmus.sol.model.NsLcmOpOcc;
import io.isthmus.sol.model.NsdInfo;
import io.isthmus.sol.model.VnfPkgInfo;
import io.isthmus.sol.problem.ProblemDetails;
import io.isthmus.sol.secret.ConfigSecrets;

/** Entities to SOL resource representations, with their links. */
@ApplicationScoped
public class Views {

    private final NfvoConfig config;
    private final Json json;
    private final NsdService nsds;
    private final NsLcmService ns;
    public Views(NfvoConfig config, Json json, NsdService nsds, NsLcmService ns) {
        this.config = config;
        this.json = json;
        this.nsds = nsds;
        this.ns = ns;
    }

    public String url(String path) {
        return config.publicUrl() + path;
    }

    public VnfPkgInfo pkg(VnfPackageEntity p) {
        String self = url("/vnfpkgm/v2/vnf_packages/" + p.id);
        return new VnfPkgInfo(p.id, p.vnfdId, p.vnfProvider, p.vnfProductName, p.vnfSoftwareVersion, p.vnfdVersion,
                p.checksum == null ? null : new VnfPkgInfo.Checksum("SHA-256", p.checksum), p.onboardingState,
                p.operationalState, p.usageState,
                p.onboardingFailureDetails == null
                        ? null
                        : json.read(p.onboardingFailureDetails, ProblemDetails.class),
                json.readMap(p.userDefinedData),
                new VnfPkgInfo.Links(Link.to(self), Link.to(self + "/vnfd"), Link.to(self + "/package_content")));
    }

    public NsdInfo nsd(NsdEntity n) {
        String self = url("/nsd/v2/ns_descriptors/" + n.id);
        return new NsdInfo(n.id, n.nsdId, n.nsdName, n.nsdVersion, n.nsdDesigner, n.nsdInvariantId,
                "ONBOARDED".equals(n.onboardingState) ? nsds.vnfPkgIds(n) : null, n.onboardingState, null,
                n.operationalState, n.usageState, json.readMap(n.userDefinedData),
                new NsdInfo.Links(Link.to(self), Link.to(self + "/nsd_content")));
    }

    public NsInstance nsInstance(NsInstanceEntity e) {
        String self = url("/nslcm/v2/ns_instances/" + e.id);
        // the VNFs as the engine last read them from the VNFM: a GET never waits for the VNFM
        List<Map<String, Object>> members = new ArrayList<>();
        Map<String, String> vnfOfProfile = new LinkedHashMap<>();
        Map<String, VnfCountersEntity> counters = ns.countersOf(e.id);
        for (NsVnfEntity v : ns.vnfsOf(e.id)) {
            if (v.vnfInstanceId() != null) {
                vnfOfProfile.put(v.vnfProfileId, v.vnfInstanceId());
            }
            if (v.vnfInstanceId() != null && v.vnfInstance() != null) {
                // SOL005's VnfInstance is SOL003's with the package it was made from
                Map<String, Object> vnf = json.readMap(v.vnfInstance());
                if (vnf.get("vnfPkgId") == null && vnf.get("vnfdId") instanceof String vnfdId) {
                    nsds.vnfPkgIdOf(vnfdId).ifPresent(pkg -> vnf.put("vnfPkgId", pkg));
                }
                showCounters(vnf, counters.get(v.vnfInstanceId()));
                members.add(vnf);
            }
        }
        Link current = ns.currentOp(e.id).map(op -> Link.to(url("/nslcm/v2/ns_lcm_op_occs/" + op.id))).orElse(null);
        List<Map<String, Object>> links = virtualLinks(ns.wiresOf(e), vnfOfProfile);
        return new NsInstance(e.id, e.name, e.description, e.nsdId, e.nsdInfoId, e.flavourId,
                members.isEmpty() ? null : members, links.isEmpty() ? null : links, e.nsState().name(),
                new NsInstance.Links(Link.to(self), Link.to(self + "/instantiate"), Link.to(self + "/scale"),
                        Link.to(self + "/update"), Link.to(self + "/heal"), Link.to(self + "/terminate"), current));
    }

    /**
     * Shows the VNF's data-plane counters as the NFVO last read them in its {@code metadata.counters}, and nothing there
     * before the first reading: whatever the VNFM's record holds under that key is not shown.
     */
    @SuppressWarnings("unchecked")
    private static void showCounters(Map<String, Object> vnf, VnfCountersEntity read) {
        Map<String, Object> metadata = vnf.get("metadata") instanceof Map<?, ?> m
                ? new LinkedHashMap<>((Map<String, Object>) m)
                : new LinkedHashMap<>();
        if (read == null && !metadata.containsKey(NsLcmService.COUNTERS)) {
            return;
        }
        metadata.remove(NsLcmService.COUNTERS);
        if (read != null) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("packets", read.packets);
            shown.put("bytes", read.bytes);
            shown.put("drops", read.drops);
            shown.put("readAt", read.readAt.toString());
            metadata.put(NsLcmService.COUNTERS, shown);
        }
        vnf.put("metadata", metadata);
    }

    /**
     * SOL005 NsVirtualLinkInfo of each virtual link of the NS's chains: a link port per connection point it joins,
     * naming the VNF instance and its external connection point (once the VNF exists). Each end's next hop is the
     * other end's ingress (the VNFs' {@code vnfConfigurableProperties} and {@code extCpInfo} show both).
     */
    private static List<Map<String, Object>> virtualLinks(List<NextHops.Wire> wires, Map<String, String> vnfOf) {
        Map<String, List<Map<String, Object>>> ports = new LinkedHashMap<>();
        for (NextHops.Wire w : wires) {
            String vnf = vnfOf.get(w.vnfProfileId());
            Map<String, Object> port = new LinkedHashMap<>();
            port.put("id", w.vnfProfileId() + "." + w.cp());
            port.put("resourceHandle", Map.of("resourceId", (vnf == null ? w.vnfProfileId() : vnf) + "/" + w.cp(),
                    "vimLevelResourceType", "VnfExtCp"));
            if (vnf != null) {
                port.put("nsCpHandle", List.of(Map.of("vnfInstanceId", vnf, "vnfExtCpInstanceId", w.cp())));
            }
            ports.computeIfAbsent(w.link(), k -> new ArrayList<>()).add(port);
        }
        List<Map<String, Object>> links = new ArrayList<>();
        ports.forEach((link, linkPorts) -> links.add(Map.of("id", link, "nsVirtualLinkDescId", link,
                "nsVirtualLinkProfileId", link, "linkPort", linkPorts)));
        return links;
    }

    public NsLcmOpOcc op(NsLcmOpOccEntity op) {
        ProblemDetails error = op.state == NsLcmOperationState.FAILED_TEMP || op.state == NsLcmOperationState.FAILED
                ? ProblemDetails.of(op.errorStatus == null ? 500 : op.errorStatus, "Operation failed", op.errorDetail)
                : null;
        // a VNF configuration's secrets are kept sealed and never shown (SOL003: write-only attributes are not returned)
        Object params = op.operationParams() == null
                ? null
                : ConfigSecrets.redactValue(json.read(op.operationParams(), Object.class));
        return new NsLcmOpOcc(op.id, op.state.name(), op.stateReason(), op.stateEnteredTime(), op.nsInstanceId,
                op.operation,
                op.startTime(), op.isAutomaticInvocation(), params == null ? java.util.Map.of() : params,
                op.isCancelPending(),
                op.cancelMode(),
                error,
                links(op));
    }

    /** SOL005 clause 6.5.2.3: a task's link only while the operation's state (and type) allows it. */
    private NsLcmOpOcc.Links links(NsLcmOpOccEntity op) {
        String self = url("/nslcm/v2/ns_lcm_op_occs/" + op.id);
        boolean failedTemp = op.state == NsLcmOperationState.FAILED_TEMP;
        NsOperationType type = op.type();
        return new NsLcmOpOcc.Links(Link.to(self), Link.to(url("/nslcm/v2/ns_instances/" + op.nsInstanceId)),
                op.state == NsLcmOperationState.PROCESSING && !op.isCancelPending() ? Link.to(self + "/cancel") : null,
                failedTemp ? Link.to(self + "/retry") : null,
                failedTemp && type == NsOperationType.INSTANTIATE ? Link.to(self + "/rollback") : null,
                failedTemp && type != NsOperationType.INSTANTIATE && type != NsOperationType.TERMINATE
                        ? Link.to(self + "/continue")
                        : null,
                failedTemp ? Link.to(self + "/fail") : null);
    }

    public LccnSubscription subscription(SubscriptionEntity s) {
        return new LccnSubscription(s.id, json.read(s.filter, LccnSubscriptionRequest.Filter.class), s.callbackUri,
                new LccnSubscription.Links(Link.to(url("/nslcm/v2/subscriptions/" + s.id))));
    }
}
