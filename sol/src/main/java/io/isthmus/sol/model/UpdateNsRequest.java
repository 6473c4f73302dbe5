package io.isthmus.sol.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.isthmus.sol.api.MaxLength;

/**
 * SOL005 v2.7.1 clause 6.5.2.12 UpdateNsRequest (the update types this platform runs: ADD_VNF, REMOVE_VNF,
 * CHANGE_VNF_DF, OPERATE_VNF, MODIFY_VNF_INFORMATION). SOL005 spells the existing VNF instances to add
 * {@code addVnfIstance}; both spellings are read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateNsRequest(@MaxLength(64) String updateType,
        @JsonAlias("addVnfIstance") List<VnfInstanceData> addVnfInstance, List<String> removeVnfInstanceId,
        List<ChangeVnfFlavourData> changeVnfFlavourData, List<OperateVnfData> operateVnfData,
        List<ModifyVnfInfoData> modifyVnfInfoData, @MaxLength(64) String updateTime) {

    /** SOL005 clause 6.5.3.19 VnfInstanceData: an existing VNF instance and the VNF profile it plays. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VnfInstanceData(@MaxLength(255) String vnfInstanceId, @MaxLength(255) String vnfProfileId) {
    }

    /** SOL005 clause 6.5.3.25 ChangeVnfFlavourData (the attributes this platform uses). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChangeVnfFlavourData(@MaxLength(255) String vnfInstanceId, @MaxLength(64) String newFlavourId,
            @MaxLength(64) String instantiationLevelId, Map<String, Object> additionalParams,
            Map<String, Object> extensions, Map<String, Object> vnfConfigurableProperties) {
    }

    /** SOL005 clause 6.5.3.31 OperateVnfData; SOL005 names its parameters {@code additionalParam}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OperateVnfData(@MaxLength(255) String vnfInstanceId, @MaxLength(16) String changeStateTo,
            @MaxLength(16) String stopType, Integer gracefulStopTimeout, Map<String, Object> additionalParam) {
    }

    /** SOL005 clause 6.5.3.32 ModifyVnfInfoData: the SOL003 VnfInfoModificationRequest of one VNF instance. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModifyVnfInfoData(@MaxLength(255) String vnfInstanceId, @MaxLength(255) String vnfInstanceName,
            @MaxLength(1024) String vnfInstanceDescription, @MaxLength(255) String vnfdId,
            Map<String, Object> vnfConfigurableProperties, Map<String, Object> metadata,
            Map<String, Object> extensions) {
    }
}
