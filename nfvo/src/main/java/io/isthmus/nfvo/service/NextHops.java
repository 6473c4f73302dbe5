package io.isthmus.nfvo.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * <p>
 * A connection point attached to a virtual link ({@code tosca.nodes.nfv.NsVirtualLink}) joins the VNF to the next VNF
 * of a service chain: its next hop is that VNF's published ingress (contracts.md "Ingress"), which exists only once
 * that VNF runs. The VNF is instantiated with {@link #UNWIRED} there (packets leaving by it are dropped) and the NS
 * operation's wiring step ({@link Wire}) sends it its peer's ingress (SOL003 change_ext_conn) once both run, and again
 * whenever the peer's ingress changed (scale, heal).
 */
@ApplicationScoped
public class NextHops {

    /** The key of {@code additionalParamsForNs} that maps each SAP to its VXLAN endpoint. */
    public static final String ENDPOINTS = "endpoints";
    private static final Pattern ENDPOINT = Pattern.compile("^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
            + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]):([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}"
            + "|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$");

    /** The next hop of a connection point of a chain not wired yet: an ingress without endpoints (nothing leaves). */
    public static final Map<String, Object> UNWIRED = Map.of("hash", "rendezvous-v1", "endpoints", List.of());

    /**
     * One direction of a chain's link: {@code vnfProfileId}'s connection point {@code cp} (its configuration key
     * {@code nextHopKey}) sends to the ingress {@code peerProfileId} publishes for its connection point {@code peerCp}.
     * {@code peerInline}: the peer's VNF profile attaches exactly two connection points, both to links of chains, so
     * that while it has no VNF its two neighbours are wired to each other ({@link #reach}).
     */
    public record Wire(String link, String vnfProfileId, String cp, String nextHopKey, String peerProfileId,
            String peerCp, boolean peerInline) {
    }

    /** A connection point of a VNF profile at one end of a link. */
    public record End(String vnfProfileId, String cp) {
    }

    /**
     * The end whose published ingress {@code w}'s connection point sends to: its peer, if the peer's VNF profile has a
     * VNF ({@code present}); else, when that profile is inline ({@link Wire#peerInline}), the VNF is bypassed: the end
     * its other link leads to, followed on the same way. Empty when the chain reaches a profile without a VNF that is
     * not inline: nothing to send to.
     */
    public static Optional<End> reach(List<Wire> wires, Wire w, Set<String> present) {
        Wire at = w;
        Set<String> passed = new HashSet<>();
        while (!present.contains(at.peerProfileId())) {
            if (!at.peerInline() || !passed.add(at.peerProfileId())) {
                return Optional.empty();
            }
            Wire from = at;
            Optional<Wire> onward = wires.stream().filter(o -> o.vnfProfileId().equals(from.peerProfileId())
                    && !o.cp().equals(from.peerCp())).findFirst();
            if (onward.isEmpty()) {
                return Optional.empty();
            }
            at = onward.get();
        }
        return Optional.of(new End(at.peerProfileId(), at.peerCp()));
    }

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
            if (nsd.virtualLinks().contains(sap)) {
                if (config.containsKey(key)) {
                    problems.add(vnfProfileId + "." + key + " is not the tenant's to give: the NSD links " + cp + " to "
                            + sap + ", so it is the ingress of the VNF at its other end");
                } else {
                    config.put(key, UNWIRED);
                }
            } else if (config.containsKey(key)) {
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

    /**
     * The wires of an NSD's chains: both directions of each virtual link, which joins exactly two connection points of
     * two VNF profiles.
     *
     * @throws InvalidPackageContentException (422) for a link that joins more than two connection points, or two of
     *             one VNF profile: which of them would be the next hop is not said
     */
    public List<Wire> wires(NsdParser.Nsd nsd) {
        List<Wire> wires = new ArrayList<>();
        Set<String> inline = new HashSet<>();
        nsd.attachments().forEach((profile, attached) -> {
            if (attached.size() == 2 && nsd.virtualLinks().containsAll(attached.values())) {
                inline.add(profile);
            }
        });
        for (String link : nsd.virtualLinks()) {
            List<NsdParser.LinkEnd> ends = nsd.linkEnds(link);
            if (ends.size() != 2 || ends.get(0).vnfProfileId().equals(ends.get(1).vnfProfileId())) {
                throw new InvalidPackageContentException("Virtual link " + link + " joins " + ends.stream()
                        .map(e -> e.vnfProfileId() + "." + e.cp()).toList() + ": this NFVO wires a link between"
                        + " two connection points of two VNF profiles, the next hop of each being the other's ingress");
            }
            for (int i = 0; i < 2; i++) {
                NsdParser.LinkEnd end = ends.get(i);
                NsdParser.LinkEnd peer = ends.get(1 - i);
                String key = extCpsOf(nsd.vnfProfiles().get(end.vnfProfileId())).get(end.cp()).nextHopParam();
                wires.add(new Wire(link, end.vnfProfileId(), end.cp(), key, peer.vnfProfileId(), peer.cp(),
                        inline.contains(peer.vnfProfileId())));
            }
        }
        return wires;
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
