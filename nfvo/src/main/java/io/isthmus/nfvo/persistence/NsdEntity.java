package io.isthmus.nfvo.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A tenant's network service descriptor. */
@Entity
@Table(name = "nsd")
public class NsdEntity {
    @Id
    public String id;
    public String tenant;
    @Column(name = "onboarding_state")
    public String onboardingState;
    @Column(name = "operational_state")
    public String operationalState;
    @Column(name = "usage_state")
    public String usageState;
    @Column(name = "nsd_id")
    public String nsdId;
    @Column(name = "nsd_name")
    public String nsdName;
    @Column(name = "nsd_version")
    public String nsdVersion;
    @Column(name = "nsd_designer")
    public String nsdDesigner;
    @Column(name = "nsd_invariant_id")
    public String nsdInvariantId;
    /** {@code vnfProfileId=vnfdId} lines. */
    @Column(name = "vnf_profiles")
    public String vnfProfiles;
    public String content;
    @Column(name = "user_defined_data")
    public String userDefinedData;
    @Column(name = "created_at")
    public Instant createdAt;
}
