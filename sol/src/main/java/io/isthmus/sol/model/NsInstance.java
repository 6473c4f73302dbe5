package io.isthmus.sol.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** SOL005 clause 6.5.2.10 NsInstance; {@code vnfInstance} holds the SOL003 VnfInstance of each constituent VNF. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NsInstance(String id, String nsInstanceName, String nsInstanceDescription, String nsdId,
        String nsdInfoId, String flavourId, List<VnfInstance> vnfInstance, String nsState,
        @JsonProperty("_links") Links links) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Links(Link self, Link instantiate, Link terminate, Link currentNsLcmOpOcc) {
    }
}
