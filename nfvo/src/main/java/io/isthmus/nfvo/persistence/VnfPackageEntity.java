package io.isthmus.nfvo.persistence;

import java.time.Instant;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A VNF package in the catalog; content and VNFD are set only once the CSAR validated. */
@Entity
@Table(name = "vnf_package")
public class VnfPackageEntity {
    @Id
    public String id;
    @Column(name = "onboarding_state")
    public String onboardingState;
    @Column(name = "operational_state")
    public String operationalState;
    @Column(name = "usage_state")
    public String usageState;
    @Column(name = "vnfd_id")
    public String vnfdId;
    @Column(name = "vnf_provider")
    public String vnfProvider;
    @Column(name = "vnf_product_name")
    public String vnfProductName;
    @Column(name = "vnf_software_version")
    public String vnfSoftwareVersion;
    @Column(name = "vnfd_version")
    public String vnfdVersion;
    public String checksum;
    public String vnfd;
    @Basic(fetch = FetchType.LAZY)
    public byte[] content;
    /** Why the last upload was refused (a ProblemDetails, JSON) while onboardingState is ERROR. */
    @Column(name = "onboarding_failure_details")
    public String onboardingFailureDetails;
    @Column(name = "user_defined_data")
    public String userDefinedData;
    @Column(name = "created_at")
    public Instant createdAt;
}
