package io.isthmus.nfvo.service;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.nfvo.persistence.VnfPackageEntity;
import io.isthmus.nfvo.persistence.VnfPackageRepository;
import io.isthmus.sol.problem.ConflictException;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.InvalidPackageException;
import io.isthmus.vnf.catalog.VnfPackage;

/**
 * VNF package management (SOL005 clause 9): create the resource, upload the CSAR, which the catalog validates before
 * anything is stored; ONBOARDED only when every manifest hash matched.
 */
@ApplicationScoped
public class VnfPackageService {

    private final VnfPackageRepository packages;
    private final Json json;
    private final Clock clock;

    public VnfPackageService(VnfPackageRepository packages, Json json, Clock clock) {
        this.packages = packages;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public VnfPackageEntity create(Map<String, Object> userDefinedData) {
        VnfPackageEntity p = new VnfPackageEntity();
        p.id = UUID.randomUUID().toString();
        p.onboardingState = "CREATED";
        p.operationalState = "DISABLED";
        p.usageState = "NOT_IN_USE";
        p.userDefinedData = json.write(userDefinedData);
        p.createdAt = clock.instant();
        packages.persist(p);
        return p;
    }

    public VnfPackageEntity get(String id) {
        return packages.findByIdOptional(id).orElseThrow(() -> new VnfPackageNotFoundException(id));
    }

    public SolPage<VnfPackageEntity> list(SolQuery query) {
        return packages.page(query);
    }

    /** Validates the CSAR and on-boards it; a refused CSAR leaves the package exactly as it was. */
    @Transactional
    public VnfPackageEntity upload(String id, byte[] csar) {
        VnfPackageEntity p = get(id);
        if (!"CREATED".equals(p.onboardingState)) {
            throw new ConflictException(
                    "VNF package " + id + " is " + p.onboardingState + "; content can be uploaded once");
        }
        if (csar == null || csar.length == 0) {
            throw new InvalidRequestException("The package content is empty");
        }
        VnfPackage read;
        try {
            read = CsarReader.read(csar);
        } catch (InvalidPackageException e) {
            if (e.reason().httpStatus() == 400) {
                throw new InvalidRequestException("Not a VNF package: " + e.detail());
            }
            throw new InvalidPackageContentException(e.reason() + ": " + e.detail());
        }
        if (packages.onboardedByVnfdId(read.vnfdId()).isPresent()) {
            throw new ConflictException("A package with VNFD " + read.vnfdId() + " is already on-boarded");
        }
        p.vnfdId = read.vnfdId();
        p.vnfProvider = read.provider();
        p.vnfProductName = read.productName();
        p.vnfSoftwareVersion = read.softwareVersion();
        p.vnfdVersion = read.vnfdVersion();
        p.checksum = read.packageChecksum().hash();
        p.vnfd = read.vnfdYaml();
        p.content = csar;
        p.onboardingState = "ONBOARDED";
        p.operationalState = "ENABLED";
        return p;
    }

    public byte[] content(String id) {
        return onboarded(id).content;
    }

    /** The VNFD's YAML text, without loading the package's content. */
    public String vnfd(String id) {
        return onboarded(id).vnfd;
    }

    private VnfPackageEntity onboarded(String id) {
        VnfPackageEntity p = get(id);
        if (!"ONBOARDED".equals(p.onboardingState)) {
            throw new ConflictException("VNF package " + id + " has no content yet (" + p.onboardingState + ")");
        }
        return p;
    }

    @Transactional
    public void delete(String id) {
        VnfPackageEntity p = get(id);
        if ("IN_USE".equals(p.usageState)) {
            throw new ConflictException("VNF package " + id + " is in use");
        }
        packages.delete(p);
    }
}
