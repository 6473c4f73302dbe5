package io.isthmus.sol.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** SOL003 v3.3.1 clause 9.5.2.2 GrantRequest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GrantRequest(String vnfInstanceId, String vnfLcmOpOccId, String vnfdId, String flavourId,
        String operation, boolean isAutomaticInvocation, List<ResourceDefinition> addResources,
        List<ResourceDefinition> removeResources, @JsonProperty("_links") Links links) {

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
