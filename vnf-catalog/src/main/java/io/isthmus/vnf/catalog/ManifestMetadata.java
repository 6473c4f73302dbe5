package io.isthmus.vnf.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code metadata:} block of the SOL004 manifest.
 *
 * @param vnfProviderId {@code vnf_provider_id}
 * @param vnfProductName {@code vnf_product_name}
 * @param vnfReleaseDateTime {@code vnf_release_date_time}, an RFC 3339 date-time (checked, kept as written)
 * @param vnfPackageVersion {@code vnf_package_version}
 * @param compatibleSpecificationVersions {@code compatible_specification_versions}, comma-separated in the manifest;
 *            empty when absent
 * @param entries every metadata key and value, in manifest order
 */
public record ManifestMetadata(String vnfProviderId, String vnfProductName, String vnfReleaseDateTime,
        String vnfPackageVersion, List<String> compatibleSpecificationVersions, Map<String, String> entries) {

    public ManifestMetadata {
        Objects.requireNonNull(vnfProviderId, "vnfProviderId");
        Objects.requireNonNull(vnfProductName, "vnfProductName");
        Objects.requireNonNull(vnfReleaseDateTime, "vnfReleaseDateTime");
        Objects.requireNonNull(vnfPackageVersion, "vnfPackageVersion");
        compatibleSpecificationVersions = List.copyOf(compatibleSpecificationVersions);
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }
}
