package io.isthmus.nfvo.lifecycle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.isthmus.nfvo.service.Json;
import io.isthmus.nfvo.service.NextHops;
import io.isthmus.nfvo.service.NextHops.Wire;
import io.isthmus.sol.model.VnfInstance;

/**
 * What a chain's VNF must be sent so that each of its linked connection points sends to the ingress its peer publishes
 * (docs/contracts.md "Service chains in the NSD"): read by the NS operations' wiring steps and by the watch that
 * follows an ingress changed outside any operation ({@link ChainWatch}). Pure: the VNFs as read are given.
 */
final class ChainWiring {

    private ChainWiring() {
    }

    /**
     * The next hops (configuration key → ingress) the VNF of {@code profile} must be sent for its linked connection
     * points to send to their peers' ingress in {@code views} (VNF profile → the VNF as read), a profile without a VNF
     * between two links bypassed ({@link NextHops#reach}); empty when they do already, or the VNF does not run. Adds a
     * line per change to {@code described}.
     */
    static Map<String, Object> changeOf(List<Wire> wires, Map<String, VnfInstance> views, String profile, Json json,
            List<String> described) {
        VnfInstance self = views.get(profile);
        Map<String, Object> change = new LinkedHashMap<>();
        if (!instantiated(self)) {
            return change;
        }
        Map<String, Object> configured = self.vnfConfigurableProperties() == null
                ? Map.of()
                : self.vnfConfigurableProperties();
        for (Wire w : wires) {
            if (!w.vnfProfileId().equals(profile)) {
                continue;
            }
            // a profile without a VNF between two links is bypassed: its neighbours send to each other
            Optional<NextHops.End> peer = NextHops.reach(wires, w, views.keySet());
            Object ingress = peer.map(e -> ingressOf(views.get(e.vnfProfileId()), e.cp())).orElse(NextHops.UNWIRED);
            if (!json.tree(ingress).equals(json.tree(configured.get(w.nextHopKey())))) {
                change.put(w.nextHopKey(), ingress);
                described.add(w.cp() + " → " + peer.map(e -> e.vnfProfileId() + "." + e.cp()).orElse("nothing")
                        + " (" + endpoints(ingress) + " fastpaths)");
            }
        }
        return change;
    }

    private static boolean instantiated(VnfInstance vnf) {
        return vnf != null && "INSTANTIATED".equals(vnf.instantiationState());
    }

    /**
     * The ingress the VNF publishes for connection point {@code cp} (SOL003 {@code extCpInfo[].metadata}),
     * {@link NextHops#UNWIRED} if it does not run or publishes none.
     */
    private static Object ingressOf(VnfInstance vnf, String cp) {
        if (!instantiated(vnf) || vnf.instantiatedVnfInfo() == null
                || vnf.instantiatedVnfInfo().extCpInfo() == null) {
            return NextHops.UNWIRED;
        }
        return vnf.instantiatedVnfInfo().extCpInfo().stream().filter(c -> cp.equals(c.id()))
                .map(c -> c.metadata() == null ? null : c.metadata().get("ingress")).filter(Objects::nonNull)
                .findFirst().orElse(NextHops.UNWIRED);
    }

    private static int endpoints(Object ingress) {
        return ingress instanceof Map<?, ?> m && m.get("endpoints") instanceof List<?> l ? l.size() : 0;
    }
}
