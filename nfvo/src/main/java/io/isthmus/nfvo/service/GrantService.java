package io.isthmus.nfvo.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.nfvo.config.NfvoConfig;
import io.isthmus.nfvo.integration.VimClient;
import io.isthmus.nfvo.persistence.GrantEntity;
import io.isthmus.nfvo.persistence.GrantRepository;
import io.isthmus.nfvo.persistence.NsInstanceRepository;
import io.isthmus.nfvo.persistence.NsVnfRepository;
import io.isthmus.sol.model.Grant;
import io.isthmus.sol.model.GrantRequest;
import io.isthmus.sol.model.Link;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.problem.ResourceNotFoundException;
import io.isthmus.vimapi.model.CapacityCheckResult;

/**
 * Granting (SOL003 clause 9): before the VNFM allocates anything, the NFVO finds the tenant the VNF is of (its NS
 * instance's, or the one the VNFM names for a VNF created directly through SOL003) and asks the VIM whether that
 * tenant's quota and the VIM's capacity admit the resources.
 */
@ApplicationScoped
public class GrantService {

    private final NsVnfRepository vnfs;
    private final NsInstanceRepository instances;
    private final GrantRepository grants;
    private final VimClient vim;
    private final Json json;
    private final NfvoConfig config;
    private final Clock clock;

    public GrantService(NsVnfRepository vnfs, NsInstanceRepository instances, GrantRepository grants, VimClient vim,
            Json json, NfvoConfig config, Clock clock) {
        this.vnfs = vnfs;
        this.instances = instances;
        this.grants = grants;
        this.vim = vim;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    @Transactional
    public Grant grant(GrantRequest request) {
        if (request == null || request.vnfInstanceId() == null || request.vnfLcmOpOccId() == null
                || request.operation() == null || request.links() == null || request.links().vnfLcmOpOcc() == null
                || request.links().vnfInstance() == null) {
            throw new InvalidRequestException(
                    "vnfInstanceId, vnfLcmOpOccId, operation and _links (vnfLcmOpOcc, vnfInstance) are required");
        }
        String tenant = tenantOf(request);
        int vcpus = 0;
        int memoryMb = 0;
        List<GrantRequest.ResourceDefinition> add = request.addResources() == null
                ? List.of()
                : request.addResources();
        for (GrantRequest.ResourceDefinition r : add) {
            if (r.resourceTemplate() != null) {
                vcpus += r.resourceTemplate().vcpus();
                memoryMb += r.resourceTemplate().memoryMb();
            }
        }
        String grantId = UUID.randomUUID().toString();
        String vimId = "local";
        String zoneId = "local-zone";
        if (vcpus > 0 || memoryMb > 0) {
            CapacityCheckResult check = vim.check(tenant, vcpus, memoryMb);
            if (!check.admitted()) {
                throw new GrantRejectedException(check.reason());
            }
            vimId = check.vimId() == null ? vimId : check.vimId();
            zoneId = check.zoneId() == null ? zoneId : check.zoneId();
        }
        String zone = "zone-1";
        List<Grant.GrantInfo> infos = new ArrayList<>();
        for (GrantRequest.ResourceDefinition r : add) {
            infos.add(new Grant.GrantInfo(r.id(), vimId, zone));
        }
        String base = config.publicUrl();
        Grant grant = new Grant(grantId, request.vnfInstanceId(), request.vnfLcmOpOccId(),
                Map.of(vimId,
                        new Grant.VimConnectionInfo(vimId, "ISTHMUS.VIM.V1", Map.of("endpoint", config.vimUrl()))),
                List.of(new Grant.ZoneInfo(zone, zoneId, vimId)), infos,
                new Grant.Links(Link.to(base + "/grant/v1/grants/" + grantId),
                        request.links().vnfLcmOpOcc(), request.links().vnfInstance()));
        GrantEntity g = new GrantEntity();
        g.id = grantId;
        g.tenant = tenant;
        g.vnfInstanceId = request.vnfInstanceId();
        g.vnfLcmOpOccId = request.vnfLcmOpOccId();
        g.operation = request.operation();
        g.vcpus = vcpus;
        g.memoryMb = memoryMb;
        g.vimId = vimId;
        g.zoneId = zoneId;
        g.body = json.write(grant);
        g.createdAt = clock.instant();
        grants.persist(g);
        return grant;
    }

    /**
     * Whose quota the grant counts against: the NS's tenant for a VNF of one of this NFVO's NS instances, else the
     * tenant the VNFM names for a VNF a SOL003 client created on it directly. A VNF with neither is refused.
     */
    private String tenantOf(GrantRequest request) {
        Optional<String> nsTenant = vnfs.byVnfInstance(request.vnfInstanceId())
                .flatMap(v -> instances.findByIdOptional(v.nsInstanceId)).map(ns -> ns.tenant);
        if (nsTenant.isPresent()) {
            request.tenant().filter(t -> !t.equals(nsTenant.get())).ifPresent(t -> {
                throw new GrantRejectedException("VNF instance " + request.vnfInstanceId()
                        + " belongs to an NS instance of another tenant than " + t);
            });
            return nsTenant.get();
        }
        return request.tenant().orElseThrow(() -> new GrantRejectedException("VNF instance "
                + request.vnfInstanceId() + " belongs to no NS instance and the request names no tenant"
                + " (additionalParams.tenant) whose quota it would count against"));
    }

    public Grant get(String id) {
        GrantEntity g = grants.findByIdOptional(id).orElseThrow(() -> new ResourceNotFoundException("Grant", id));
        return json.read(g.body, Grant.class);
    }
}
