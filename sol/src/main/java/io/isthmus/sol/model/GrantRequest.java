package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * SOL003 v3.3.1 clause 9.5.2.2 GrantRequest. The VNFM names the tenant whose quota the resources count against in
 * {@code additionalParams.tenant} ({@link #TENANT}); for a VNF of an NS instance the NFVO takes the NS's tenant.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GrantRequest(String vnfInstanceId, String vnfLcmOpOccId, String vnfdId, String flavourId,
        String operation, boolean isAutomaticInvocation, List<ResourceDefinition> addResources,
        List<ResourceDefinition> removeResources, Map<String, Object> additionalParams,
        @JsonProperty("_links") Links links) {

    public static final String TENANT = "tenant";

    /** The tenant the VNFM says the VNF instance is of, if it says one. */
    public Optional<String> tenant() {
        return additionalParams != null && additionalParams.get(TENANT) instanceof String t && !t.isBlank()
                ? Optional.of(t)
                : Optional.empty();
    }

    /** SOL003 clause 9.5.3.2 ResourceDefinition; {@code vcpus} and {@code memoryMb} sizes are in the extension. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ResourceDefinition(String id, String type, String vduId, String resourceTemplateId,
            ResourceTemplate resourceTemplate) {
    }

    /** The compute size a definition asks for (a stand-in for the VNFD's VirtualComputeDesc). */
    public record ResourceTemplate(int vcpus, int memoryMb) {
    }

    public record Links(Link vnfLcmOpOcc, Link vnfInstance) {
    }
}
