package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/** SOL005 v2.7.1 clause 6.5.2.13 HealNsRequest: {@code healNsData} or {@code healVnfData}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealNsRequest(Map<String, Object> healNsData, List<HealVnfData> healVnfData) {

    /** SOL005 clause 6.5.3.44 HealVnfData: the SOL003 HealVnfRequest of one VNF instance of the NS. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HealVnfData(@MaxLength(255) String vnfInstanceId, @MaxLength(1024) String cause,
            Map<String, Object> additionalParams) {
    }
}
