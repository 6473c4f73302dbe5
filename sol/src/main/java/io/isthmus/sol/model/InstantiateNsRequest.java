package io.isthmus.sol.model;

import io.isthmus.sol.api.MaxLength;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** SOL005 clause 6.5.2.11 InstantiateNsRequest (the attributes this platform uses). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstantiateNsRequest(@MaxLength(64) String nsFlavourId, @MaxLength(64) String nsInstantiationLevelId,
        List<ParamsForVnf> additionalParamsForVnf, Map<String, Object> additionalParamsForNs) {

    /** SOL005 clause 6.5.3.22 ParamsForVnf: parameters for the VNF of one VNF profile of the NSD. */
    public record ParamsForVnf(@MaxLength(255) String vnfProfileId, @MaxLength(255) String vnfInstanceName,
            Map<String, Object> additionalParams) {
    }
}
