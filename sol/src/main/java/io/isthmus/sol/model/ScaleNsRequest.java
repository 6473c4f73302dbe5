package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/**
 * SOL005 v2.7.1 clause 6.5.2.14 ScaleNsRequest (the attributes this platform uses): {@code scaleType} SCALE_NS with
 * {@code scaleNsData}, or SCALE_VNF with {@code scaleVnfData}; {@code scaleTime} (date-time) when to scale.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScaleNsRequest(@MaxLength(16) String scaleType, ScaleNsData scaleNsData, List<ScaleVnfData> scaleVnfData,
        @MaxLength(64) String scaleTime) {

    /** SOL005 clause 6.5.3.36 ScaleNsData: by steps of an NS scaling aspect, or to an NS scale level. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScaleNsData(ScaleNsByStepsData scaleNsByStepsData, ScaleNsToLevelData scaleNsToLevelData) {
    }

    /** SOL005 clause 6.5.3.37 ScaleNsByStepsData. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScaleNsByStepsData(@MaxLength(16) String scalingDirection, @MaxLength(64) String aspectId,
            Integer numberOfSteps) {
    }

    /** SOL005 clause 6.5.3.38 ScaleNsToLevelData. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScaleNsToLevelData(@MaxLength(64) String nsInstantiationLevel, List<NsScaleInfo> nsScaleInfo) {
    }

    /** SOL005 clause 6.5.3.39 NsScaleInfo. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NsScaleInfo(@MaxLength(64) String nsScalingAspectId, @MaxLength(64) String nsScaleLevelId) {
    }

    /**
     * SOL005 clause 6.5.3.35 ScaleVnfData; {@code scaleVnfType} SCALE_OUT / SCALE_IN (with {@code scaleByStepData}),
     * SCALE_TO_INSTANTIATION_LEVEL / SCALE_TO_SCALE_LEVEL(S) (with {@code scaleToLevelData}). SOL005 spells the id
     * {@code vnfInstanceid}; both spellings are read.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScaleVnfData(@JsonAlias("vnfInstanceid") @MaxLength(255) String vnfInstanceId,
            @MaxLength(32) String scaleVnfType, ScaleToLevelData scaleToLevelData, ScaleByStepData scaleByStepData) {
    }

    /** SOL005 clause 6.5.3.56 ScaleToLevelData. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScaleToLevelData(@MaxLength(64) String vnfInstantiationLevelId, List<VnfScaleInfo> vnfScaleInfo,
            Map<String, Object> additionalParams) {
    }

    /** SOL005 clause 6.5.3.53 VnfScaleInfo. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VnfScaleInfo(@MaxLength(64) String aspectId, Integer scaleLevel) {
    }

    /** SOL005 clause 6.5.3.55 ScaleByStepData. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScaleByStepData(@MaxLength(64) String aspectId, Integer numberOfSteps,
            Map<String, Object> additionalParams) {
    }
}
