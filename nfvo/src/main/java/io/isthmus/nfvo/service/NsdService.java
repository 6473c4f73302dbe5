package io.isthmus.nfvo.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.nfvo.persistence.NsInstanceRepository;
import io.isthmus.nfvo.persistence.NsdEntity;
import io.isthmus.nfvo.persistence.NsdRepository;
import io.isthmus.nfvo.persistence.VnfPackageEntity;
import io.isthmus.nfvo.persistence.VnfPackageRepository;
import io.isthmus.sol.problem.ConflictException;
import io.isthmus.sol.problem.InvalidRequestException;

/** NSD management (SOL005 clause 5): a tenant's NSDs, on-boarded only when every VNFD they use is. */
@ApplicationScoped
public class NsdService {

    private final NsdRepository nsds;
    private final VnfPackageRepository packages;
    private final NsInstanceRepository instances;
    private final Json json;
    private final Clock clock;
    private final NextHops nextHops;

    public NsdService(NsdRepository nsds, VnfPackageRepository packages, NsInstanceRepository instances, Json json,
            Clock clock, NextHops nextHops) {
        this.nextHops = nextHops;
        this.nsds = nsds;
        this.packages = packages;
        this.instances = instances;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public NsdEntity create(String tenant, Map<String, Object> userDefinedData) {
        NsdEntity n = new NsdEntity();
        n.id = UUID.randomUUID().toString();
        n.tenant = tenant;
        n.onboardingState = "CREATED";
        n.operationalState = "DISABLED";
        n.usageState = "NOT_IN_USE";
        n.userDefinedData = json.write(userDefinedData);
        n.createdAt = clock.instant();
        nsds.persist(n);
        return n;
    }

    public NsdEntity get(String id, Optional<String> tenantScope) {
        return nsds.findScoped(id, tenantScope).orElseThrow(() -> new NsdNotFoundException(id));
    }

    public SolPage<NsdEntity> list(SolQuery query, Optional<String> tenantScope) {
        return nsds.pageScoped(query, tenantScope);
    }

    @Transactional
    public NsdEntity upload(String id, Optional<String> tenantScope, String yaml) {
        NsdEntity n = get(id, tenantScope);
        if (!"CREATED".equals(n.onboardingState)) {
            throw new ConflictException("NSD " + id + " is " + n.onboardingState + "; content can be uploaded once");
        }
        if (yaml == null || yaml.isBlank()) {
            throw new InvalidRequestException("The NSD content is empty");
        }
        NsdParser.Nsd nsd = NsdParser.parse(yaml);
        List<String> missing = new ArrayList<>();
        for (String vnfdId : nsd.vnfProfiles().values()) {
            if (packages.onboardedByVnfdId(vnfdId).isEmpty()) {
                missing.add(vnfdId);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidPackageContentException("The NSD uses VNFDs that are not on-boarded: " + missing);
        }
        nextHops.checkAttachments(nsd);
        n.nsdId = nsd.nsdId();
        n.nsdName = nsd.name();
        n.nsdVersion = nsd.version();
        n.nsdDesigner = nsd.designer();
        n.nsdInvariantId = nsd.invariantId();
        n.vnfProfiles = String.join("\n", nsd.vnfProfiles().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
        n.content = yaml;
        n.onboardingState = "ONBOARDED";
        n.operationalState = "ENABLED";
        return n;
    }

    @Transactional
    public void delete(String id, Optional<String> tenantScope) {
        NsdEntity n = get(id, tenantScope);
        if (instances.countUsing(n.id) > 0) {
            throw new ConflictException("NSD " + id + " is used by NS instances");
        }
        nsds.delete(n);
    }

    /** vnfProfileId → vnfdId, in NSD order. */
    public static Map<String, String> profiles(NsdEntity n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n.vnfProfiles != null && !n.vnfProfiles.isBlank()) {
            for (String line : n.vnfProfiles.split("\n")) {
                int eq = line.indexOf('=');
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    /** The on-boarded package of {@code vnfdId}, if any. */
    public Optional<String> vnfPkgIdOf(String vnfdId) {
        return packages.onboardedByVnfdId(vnfdId).map(p -> p.id);
    }

    public List<String> vnfPkgIds(NsdEntity n) {
        return profiles(n).values().stream().distinct().map(packages::onboardedByVnfdId)
                .flatMap(Optional::stream).map((VnfPackageEntity p) -> p.id).toList();
    }
}
