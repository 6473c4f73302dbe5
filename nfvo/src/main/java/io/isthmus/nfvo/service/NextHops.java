package io.isthmus.nfvo.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.nfvo.persistence.VnfPackageEntity;
import io.isthmus.nfvo.persistence.VnfPackageRepository;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.ExtCp;

/**
 * Tenants do not type next hops: the NFVO derives them. A VNFD names, for each external connection point, the key of
 * its configuration that takes the next hop behind it ({@code isthmus.next_hop}); the NSD attaches connection points to
 * the NS's endpoints (SAPs); the instantiate request says where each endpoint is
 * ({@code additionalParamsForNs.endpoints}, SAP name → IPv4:port). The VNF's configuration gets each next hop filled in.
 * (Attaching a VNF to the next VNF of a chain, whose ingress the NFVO then knows, is the service chains' part.)
 */
@ApplicationScoped
public class NextHops {

    /** The key of {@code additionalParamsForNs} that maps each SAP to its VXLAN endpoint. */
    public static final String ENDPOINTS = "endpoints";
    private static final Pattern ENDPOINT = Pattern.compile("^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
            + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]):([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}"
            + "|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$");

    private final VnfPackageRepository packages;
    /** External CPs by package id and checksum: a package's content never changes once on-boarded. */
    private final Map<String, List<ExtCp>> extCps = new ConcurrentHashMap<>();

    public NextHops(VnfPackageRepository packages) {
        this.packages = packages;
    }

    /** At NSD upload: every attached connection point is one of its VNFD's and takes a next hop. */
    public void checkAttachments(NsdParser.Nsd nsd) {
        List<String> problems = new ArrayList<>();
        nsd.attachments().forEach((profile, attached) -> {
            String vnfdId = nsd.vnfProfiles().get(profile);
            Map<String, ExtCp> cps = extCpsOf(vnfdId);
            attached.keySet().forEach(cp -> {
                ExtCp extCp = cps.get(cp);
                if (extCp == null) {
                    problems.add("VNF profile " + profile + " attaches " + cp + ", which is no external connection"
                            + " point of VNFD " + vnfdId + " (it has " + cps.keySet() + ")");
                } else if (extCp.nextHopParam() == null) {
                    problems.add("VNF profile " + profile + " attaches " + cp + ", which takes no next hop");
                }
            });
        });
        if (!problems.isEmpty()) {
            throw new InvalidPackageContentException(String.join("; ", problems));
        }
    }

    /**
     * The configuration of one VNF profile with the next hop of every attached connection point filled in from the
     * NS's endpoints.
     *
     * @throws io.isthmus.sol.problem.UnprocessableContentException (422) when an endpoint is missing or malformed, or
     *             when the tenant typed a next hop the NSD derives
     */
    public Map<String, Object> derive(NsdParser.Nsd nsd, String vnfProfileId, Map<String, Object> given,
            Map<String, Object> additionalParamsForNs) {
        Map<String, String> attached = nsd.attachments().getOrDefault(vnfProfileId, Map.of());
        Map<String, Object> config = new LinkedHashMap<>(given == null ? Map.of() : given);
        if (attached.isEmpty()) {
            return config;
        }
        Map<?, ?> endpoints = additionalParamsForNs != null
                && additionalParamsForNs.get(ENDPOINTS) instanceof Map<?, ?> m ? m : Map.of();
        Map<String, ExtCp> cps = extCpsOf(nsd.vnfProfiles().get(vnfProfileId));
        List<String> problems = new ArrayList<>();
        attached.forEach((cp, sap) -> {
            String key = cps.get(cp).nextHopParam();
            Object endpoint = endpoints.get(sap);
            if (config.containsKey(key)) {
                problems.add(vnfProfileId + "." + key + " is not the tenant's to give: the NSD attaches " + cp
                        + " to " + sap + ", so it is the endpoint of " + sap);
            } else if (!(endpoint instanceof String text) || !ENDPOINT.matcher(text).matches()) {
                problems.add("additionalParamsForNs." + ENDPOINTS + "." + sap + " must be the IPv4:port of the NS"
                        + " endpoint " + sap + (endpoint == null ? "" : ", not " + endpoint));
            } else {
                config.put(key, text);
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidPackageContentException(String.join("; ", problems));
        }
        return config;
    }

    private Map<String, ExtCp> extCpsOf(String vnfdId) {
        VnfPackageEntity pkg = packages.onboardedByVnfdId(vnfdId).orElseThrow(
                () -> new InvalidPackageContentException("VNFD " + vnfdId + " is not on-boarded"));
        List<ExtCp> list = extCps.computeIfAbsent(pkg.id + "/" + pkg.checksum,
                k -> CsarReader.read(pkg.content).extCps());
        Map<String, ExtCp> byId = new LinkedHashMap<>();
        list.forEach(cp -> byId.put(cp.id(), cp));
        return byId;
    }
}
