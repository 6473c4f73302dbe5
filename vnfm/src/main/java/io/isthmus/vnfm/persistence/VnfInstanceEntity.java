package io.isthmus.vnfm.persistence;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A VNF instance (SOL003 VnfInstance) as the vnfm keeps it. */
@Entity
@Table(name = "vnf_instance")
public class VnfInstanceEntity {

    /** The metadata key by which the NFVO names the NS instance a VNF it creates belongs to. */
    public static final String NS_INSTANCE_ID = "nsInstanceId";

    @Id
    private String id;
    @Column(name = "vnfd_id", nullable = false)
    private String vnfdId;
    @Column(name = "vnf_instance_name")
    private String name;
    @Column(name = "vnf_instance_description")
    private String description;
    @Column(name = "vnf_provider", nullable = false)
    private String vnfProvider;
    @Column(name = "vnf_product_name", nullable = false)
    private String vnfProductName;
    @Column(name = "vnf_software_version", nullable = false)
    private String vnfSoftwareVersion;
    @Column(name = "vnfd_version", nullable = false)
    private String vnfdVersion;
    @Column(name = "vnf_pkg_id")
    private String vnfPkgId;
    @Enumerated(EnumType.STRING)
    @Column(name = "instantiation_state", nullable = false)
    private InstantiationState instantiationState;
    @Column(name = "flavour_id")
    private String flavourId;
    @Column(name = "vnf_state")
    private String vnfState;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "vnfc_resources")
    private List<VnfcResource> vnfcResources;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "metadata", nullable = false)
    private Map<String, Object> metadata;
    @Column(name = "tenant")
    private String tenant;
    /** The NS instance of the NFVO this VNF is part of ({@code metadata.nsInstanceId}); null for a VNF of its own. */
    @Column(name = "ns_instance_id")
    private String nsInstanceId;
    @Column(name = "allocation_id")
    private String allocationId;
    /** The bearer token of the slowpath's config endpoint, from the vim; never shown by the API. */
    @Column(name = "config_secret")
    private String configSecret;
    /** The desired configuration of the VNF, which the vnfm keeps its slowpath at (ConfigReconciler). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "vnf_configuration")
    private Map<String, Object> vnfConfiguration;
    /** The scale level of each aspect. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "scale_status")
    private Map<String, Integer> scaleStatus;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "max_scale_levels")
    private Map<String, Integer> maxScaleLevels;
    /** The VNFC ids of the fastpaths in the published ingress (contracts.md "Ingress"). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "ingress")
    private List<String> ingress;
    /** The VNFD's external connection points. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "ext_cps")
    private List<String> extCps;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "extensions")
    private Map<String, Object> extensions;
    @Column(name = "idempotency_key")
    private String idempotencyKey;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Version
    private long version;

    protected VnfInstanceEntity() {
    }

    public VnfInstanceEntity(String id, String vnfdId, String name, String description, Descriptor descriptor,
            Map<String, Object> metadata, String tenant, Instant createdAt) {
        this.id = id;
        this.vnfdId = vnfdId;
        this.name = name;
        this.description = description;
        this.vnfProvider = descriptor.provider();
        this.vnfProductName = descriptor.productName();
        this.vnfSoftwareVersion = descriptor.softwareVersion();
        this.vnfdVersion = descriptor.vnfdVersion();
        this.vnfPkgId = descriptor.vnfPkgId();
        this.metadata = metadata == null ? Map.of() : frozen(metadata);
        this.tenant = tenant;
        this.nsInstanceId = this.metadata.get(NS_INSTANCE_ID) instanceof String ns ? ns : null;
        this.createdAt = createdAt;
        this.instantiationState = InstantiationState.NOT_INSTANTIATED;
    }

    /** What the VNF package says about the product this instance is of. */
    public record Descriptor(String vnfPkgId, String provider, String productName, String softwareVersion,
            String vnfdVersion) {
    }

    public void instantiated(String flavour, String allocation, List<VnfcResource> vnfcs, String secret,
            Map<String, Integer> levels, Map<String, Integer> maxLevels, List<String> cps) {
        this.scaleStatus = levels == null ? null : Map.copyOf(levels);
        this.maxScaleLevels = maxLevels == null ? null : Map.copyOf(maxLevels);
        this.extCps = cps == null ? null : List.copyOf(cps);
        this.configSecret = secret;
        this.instantiationState = InstantiationState.INSTANTIATED;
        this.flavourId = flavour;
        this.vnfState = "STARTED";
        this.allocationId = allocation;
        this.vnfcResources = vnfcs == null ? List.of() : List.copyOf(vnfcs);
    }

    /** The configuration the VNF should have from now on; null for none. */
    public void desire(Map<String, Object> configuration) {
        this.vnfConfiguration = configuration == null ? null : frozen(configuration);
    }

    /** The desired configuration, null when the VNF has none. */
    public Map<String, Object> vnfConfiguration() {
        return vnfConfiguration;
    }

    /** The VNFCs as an operation's step left them. */
    public void vnfcs(List<VnfcResource> vnfcs) {
        this.vnfcResources = vnfcs == null ? List.of() : List.copyOf(vnfcs);
    }

    /** The fastpath VNFCs that take traffic from now on. */
    public void ingress(List<String> vnfcIds) {
        this.ingress = vnfcIds == null ? null : List.copyOf(vnfcIds);
    }

    public void scaled(Map<String, Integer> levels) {
        this.scaleStatus = levels == null ? null : Map.copyOf(levels);
    }

    public void vnfState(String state) {
        this.vnfState = state;
    }

    /** VnfInfoModificationRequest: what is given replaces what was (maps already merged by the caller). */
    public void modify(String newName, String newDescription, Map<String, Object> newMetadata,
            Map<String, Object> newExtensions) {
        this.name = newName;
        this.description = newDescription;
        this.metadata = newMetadata == null ? Map.of() : frozen(newMetadata);
        this.extensions = newExtensions == null ? null : frozen(newExtensions);
        // the NFVO joins an existing VNF to an NS (SOL005 ADD_VNF) by its metadata, as it names one it creates
        this.nsInstanceId = this.metadata.get(NS_INSTANCE_ID) instanceof String ns ? ns : null;
    }

    /**
     * change_vnfpkg completed: the instance is of the new package from now on (its VNFD, product and versions, the
     * VNFD's maximum scale levels and external connection points); its VNFCs, levels and configuration stay.
     */
    public void packageChanged(String newVnfdId, Descriptor descriptor, Map<String, Integer> maxLevels,
            List<String> cps) {
        this.vnfdId = newVnfdId;
        this.vnfPkgId = descriptor.vnfPkgId();
        this.vnfProvider = descriptor.provider();
        this.vnfProductName = descriptor.productName();
        this.vnfSoftwareVersion = descriptor.softwareVersion();
        this.vnfdVersion = descriptor.vnfdVersion();
        if (maxLevels != null) {
            this.maxScaleLevels = Map.copyOf(maxLevels);
        }
        if (cps != null) {
            this.extCps = List.copyOf(cps);
        }
    }

    /**
     * What the instance is now, as a VNF snapshot keeps it (SOL003 VnfSnapshot.vnfInstance); its config secret is not
     * in it.
     */
    public record Image(String id, String vnfdId, String name, String description, Descriptor descriptor,
            String instantiationState, String flavourId, String vnfState, List<VnfcResource> vnfcs,
            Map<String, Object> metadata, Map<String, Object> extensions, Map<String, Object> configuration,
            Map<String, Integer> scaleStatus, Map<String, Integer> maxScaleLevels, List<String> ingress,
            List<String> extCps, String tenant, Instant createdAt) {
    }

    public Image image() {
        return new Image(id, vnfdId, name, description,
                new Descriptor(vnfPkgId, vnfProvider, vnfProductName, vnfSoftwareVersion, vnfdVersion),
                instantiationState.name(), flavourId, vnfState, vnfcResources, metadata, extensions, vnfConfiguration,
                scaleStatus, maxScaleLevels, ingress, extCps, tenant, createdAt);
    }

    /** A detached instance as an image shows it, for the API to show a snapshot's instance; never persisted. */
    public static VnfInstanceEntity of(Image image) {
        VnfInstanceEntity e = new VnfInstanceEntity(image.id(), image.vnfdId(), image.name(), image.description(),
                image.descriptor(), image.metadata(), image.tenant(), image.createdAt());
        e.instantiationState = InstantiationState.valueOf(image.instantiationState());
        e.flavourId = image.flavourId();
        e.vnfState = image.vnfState();
        e.vnfcResources = image.vnfcs();
        e.extensions = image.extensions();
        e.vnfConfiguration = image.configuration();
        e.scaleStatus = image.scaleStatus();
        e.maxScaleLevels = image.maxScaleLevels();
        e.ingress = image.ingress();
        e.extCps = image.extCps();
        return e;
    }

    public void idempotencyKey(String key) {
        this.idempotencyKey = key;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public Map<String, Integer> scaleStatus() {
        return scaleStatus == null ? Map.of() : scaleStatus;
    }

    public Map<String, Integer> maxScaleLevels() {
        return maxScaleLevels == null ? Map.of() : maxScaleLevels;
    }

    /** The published ingress; null before the first PUBLISH (then every fastpath is in it). */
    public List<String> ingress() {
        return ingress;
    }

    public List<String> extCps() {
        return extCps == null ? List.of() : extCps;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public void terminated() {
        this.scaleStatus = null;
        this.maxScaleLevels = null;
        this.ingress = null;
        this.extCps = null;
        this.instantiationState = InstantiationState.NOT_INSTANTIATED;
        this.flavourId = null;
        this.vnfState = null;
        this.allocationId = null;
        this.vnfcResources = null;
        this.vnfConfiguration = null;
        this.configSecret = null;
    }

    /** The bearer token the slowpath's config endpoint asks for; null when the vim gave none. */
    public String configSecret() {
        return configSecret;
    }

    public boolean isInstantiated() {
        return instantiationState == InstantiationState.INSTANTIATED;
    }

    public String id() {
        return id;
    }

    public String vnfdId() {
        return vnfdId;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public String vnfProvider() {
        return vnfProvider;
    }

    public String vnfProductName() {
        return vnfProductName;
    }

    public String vnfSoftwareVersion() {
        return vnfSoftwareVersion;
    }

    public String vnfdVersion() {
        return vnfdVersion;
    }

    public String vnfPkgId() {
        return vnfPkgId;
    }

    public InstantiationState instantiationState() {
        return instantiationState;
    }

    public String flavourId() {
        return flavourId;
    }

    public String vnfState() {
        return vnfState;
    }

    public List<VnfcResource> vnfcResources() {
        return vnfcResources == null ? List.of() : vnfcResources;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public String tenant() {
        return tenant;
    }

    /** The NS instance this VNF belongs to, when the NFVO created it for one. */
    public Optional<String> nsInstanceId() {
        return Optional.ofNullable(nsInstanceId);
    }

    public String allocationId() {
        return allocationId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** An unmodifiable copy that keeps JSON nulls ({@code Map.copyOf} refuses them: a client's {@code null} was a 500). */
    private static Map<String, Object> frozen(Map<String, Object> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
