package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * SOL005 clause 6.5.2.10 NsInstance; {@code vnfInstance} holds the SOL005 VnfInstance of each constituent VNF: the
 * VNFM's SOL003 VnfInstance with the {@code vnfPkgId} SOL005 adds; {@code virtualLinkInfo} the NS's virtual links
 * (clause 6.5.3.53 NsVirtualLinkInfo), each with a link port per connection point it joins.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NsInstance(String id, String nsInstanceName, String nsInstanceDescription, String nsdId,
        String nsdInfoId, String flavourId, List<Map<String, Object>> vnfInstance,
        List<Map<String, Object>> virtualLinkInfo, String nsState, @JsonProperty("_links") Links links) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Links(Link self, Link instantiate, Link scale, Link update, Link heal, Link terminate,
            Link currentNsLcmOpOcc) {
    }
}
