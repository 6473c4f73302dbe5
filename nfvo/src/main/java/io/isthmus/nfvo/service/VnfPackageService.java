package io.isthmus.nfvo.service;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import io.isthmus.nfvo.persistence.VnfPackageEntity;
import io.isthmus.nfvo.persistence.VnfPackageRepository;
import io.isthmus.nfvo.persistence.VnfUsageRepository;
import io.isthmus.sol.problem.ConflictException;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.problem.SolException;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.InvalidPackageException;
import io.isthmus.vnf.catalog.VnfPackage;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * VNF package management (SOL005 clause 9): create the resource, upload the CSAR, which the catalog validates before
 * anything is stored; ONBOARDED only when every manifest hash matched.
 */
@ApplicationScoped
public class VnfPackageService {

    private final VnfPackageRepository packages;
    private final VnfUsageRepository usage;
    private final Json json;
    private final Clock clock;

    public VnfPackageService(VnfPackageRepository packages, Json json, Clock clock, VnfUsageRepository usage) {
        this.usage = usage;
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

    /**
     * Validates the CSAR and on-boards it. A refused CSAR leaves the package in ERROR with the reason
     * ({@code onboardingFailureDetails}), and its content may be uploaded again; of two uploads at once, one wins and
     * the other gets 409.
     */
    public VnfPackageEntity upload(String id, byte[] csar) {
        QuarkusTransaction.requiringNew().run(() -> uploadable(get(id)));
        if (csar == null || csar.length == 0) {
            throw refused(id, new InvalidRequestException("The package content is empty"));
        }
        VnfPackage read;
        try {
            read = CsarReader.read(csar);
        } catch (InvalidPackageException e) {
            throw refused(id, e.reason().httpStatus() == 400
                    ? new InvalidRequestException("Not a VNF package: " + e.detail())
                    : new InvalidPackageContentException(e.reason() + ": " + e.detail()));
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                VnfPackageEntity p = uploadable(packages.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                        .orElseThrow(() -> new VnfPackageNotFoundException(id)));
                if (packages.onboardedByVnfdId(read.vnfdId()).isPresent()) {
                    throw new DuplicateVnfdException(read.vnfdId());
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
                p.onboardingFailureDetails = null;
                p.usageState = usage.inUse(read.vnfdId()) ? "IN_USE" : "NOT_IN_USE";
                packages.flush();
                return p;
            });
        } catch (DuplicateVnfdException e) {
            throw refused(id, e);
        } catch (PersistenceException e) {
            // another package with this VNFD was on-boarded at the same moment (the unique index on vnfd_id)
            throw refused(id, new DuplicateVnfdException(read.vnfdId()));
        }
    }

    private static VnfPackageEntity uploadable(VnfPackageEntity p) {
        if (!"CREATED".equals(p.onboardingState) && !"ERROR".equals(p.onboardingState)) {
            throw new ConflictException(
                    "VNF package " + p.id + " is " + p.onboardingState + "; content can be uploaded once");
        }
        return p;
    }

    /** Keeps why the upload was refused on the package (ERROR), then hands the refusal back to throw. */
    private SolException refused(String id, SolException why) {
        QuarkusTransaction.requiringNew().run(() -> packages.findByIdOptional(id).ifPresent(p -> {
            if (!"ONBOARDED".equals(p.onboardingState)) {
                p.onboardingState = "ERROR";
                p.onboardingFailureDetails = json.write(why.problem());
            }
        }));
        return why;
    }

    /** A package with the same VNFD is on-boarded already → 409. */
    static final class DuplicateVnfdException extends ConflictException {

        DuplicateVnfdException(String vnfdId) {
            super("A package with VNFD " + vnfdId + " is already on-boarded");
        }
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
        if (usage.inUse(p.vnfdId)) {
            throw new ConflictException("VNF package " + id + " is in use: VNF instances of VNFD " + p.vnfdId
                    + " exist on the VNFM");
        }
        packages.delete(p);
    }
}
