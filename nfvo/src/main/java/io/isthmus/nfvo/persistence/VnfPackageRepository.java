package io.isthmus.nfvo.persistence;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.isthmus.sol.query.Attribute;
import io.isthmus.sol.query.ListedResource;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class VnfPackageRepository implements PanacheRepositoryBase<VnfPackageEntity, String> {

    /** SOL005 PackageOnboardingStateType, which NSDs share (NsdOnboardingStateType). */
    static final String[] ONBOARDING = {"CREATED", "UPLOADING", "PROCESSING", "ONBOARDED", "ERROR"};

    /** SOL005 clause 9.4.2.3.2: what GET /vnf_packages filters on and leaves out by default. */
    public static final ListedResource LISTED = ListedResource.of("VnfPkgInfo", "VnfPackageEntity", "createdAt")
            .filter(Attribute.string("id", "e.id"), Attribute.string("vnfdId", "e.vnfdId"),
                    Attribute.string("vnfProvider", "e.vnfProvider"),
                    Attribute.string("vnfProductName", "e.vnfProductName"),
                    Attribute.string("vnfSoftwareVersion", "e.vnfSoftwareVersion"),
                    Attribute.string("vnfdVersion", "e.vnfdVersion"), Attribute.string("checksum/hash", "e.checksum"),
                    Attribute.choice("onboardingState", "e.onboardingState", ONBOARDING),
                    Attribute.choice("operationalState", "e.operationalState", "ENABLED", "DISABLED"),
                    Attribute.choice("usageState", "e.usageState", "IN_USE", "NOT_IN_USE"))
            .notFilterable("_links", "compatibleSpecificationVersions", "vnfmInfo", "packageSecurityOption",
                    "signingCertificate")
            .excludeByDefault("softwareImages", "additionalArtifacts", "userDefinedData", "checksum",
                    "onboardingFailureDetails")
            .build();

    /** One page of the packages (every tenant sees every package) that match the query's filter. */
    public SolPage<VnfPackageEntity> page(SolQuery query) {
        return query.run(getEntityManager(), VnfPackageEntity.class, Optional.empty());
    }

    public Optional<VnfPackageEntity> onboardedByVnfdId(String vnfdId) {
        return find("vnfdId = ?1 and onboardingState = 'ONBOARDED'", vnfdId).firstResultOptional();
    }
}
