package io.isthmus.nfvo.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.isthmus.nfvo.persistence.VnfTaskKind;
import io.isthmus.sol.model.ChangeVnfFlavourRequest;
import io.isthmus.sol.model.HealNsRequest;
import io.isthmus.sol.model.HealVnfRequest;
import io.isthmus.sol.model.OperateVnfRequest;
import io.isthmus.sol.model.ScaleInfo;
import io.isthmus.sol.model.ScaleNsRequest;
import io.isthmus.sol.model.ScaleVnfRequest;
import io.isthmus.sol.model.ScaleVnfToLevelRequest;
import io.isthmus.sol.model.UpdateNsRequest;
import io.isthmus.sol.model.VnfInfoModificationRequest;
import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.sol.problem.UnprocessableContentException;

/**
 * Turns a SOL005 scale, heal or update request into what it asks of each VNF: the SOL003 request the NS operation sends
 * it. Checks the request's shape (400) and what the NSD allows (422); which VNF instances are the NS's is the caller's
 * to check. Pure: reads nothing, changes nothing.
 */
final class NsVnfTasks {

    /** {@code body} (a SOL003 request record) asked of VNF instance {@code vnfInstanceId}. */
    record Task(String vnfInstanceId, VnfTaskKind kind, Object body) {
    }

    /** An existing VNF instance joining the NS as {@code vnfProfileId}. */
    record Joining(String vnfInstanceId, String vnfProfileId) {
    }

    private static final Set<String> UPDATE_TYPES = Set.of("ADD_VNF", "REMOVE_VNF", "CHANGE_VNF_DF", "OPERATE_VNF",
            "MODIFY_VNF_INFORMATION");

    private NsVnfTasks() {
    }

    static List<Task> scale(ScaleNsRequest r, NsdParser.Nsd nsd, Map<String, String> vnfOfProfile) {
        if (r == null || r.scaleType() == null) {
            throw new InvalidRequestException("scaleType is required (SCALE_NS or SCALE_VNF)");
        }
        return switch (r.scaleType()) {
            case "SCALE_VNF" -> scaleVnfs(r.scaleVnfData());
            case "SCALE_NS" -> scaleNs(r.scaleNsData(), nsd, vnfOfProfile);
            default -> throw new InvalidRequestException(
                    "Invalid value at scaleType: " + r.scaleType() + " is not SCALE_NS or SCALE_VNF");
        };
    }

    private static List<Task> scaleVnfs(List<ScaleNsRequest.ScaleVnfData> data) {
        if (data == null || data.isEmpty()) {
            throw new InvalidRequestException("scaleVnfData is required when scaleType is SCALE_VNF");
        }
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            ScaleNsRequest.ScaleVnfData d = data.get(i);
            String at = "scaleVnfData[" + i + "]";
            if (d == null || d.vnfInstanceId() == null || d.scaleVnfType() == null) {
                throw new InvalidRequestException(at + ": vnfInstanceId and scaleVnfType are required");
            }
            tasks.add(switch (d.scaleVnfType()) {
                case "SCALE_OUT", "SCALE_IN" -> {
                    ScaleNsRequest.ScaleByStepData by = d.scaleByStepData();
                    if (by == null || by.aspectId() == null) {
                        throw new InvalidRequestException(at + ".scaleByStepData.aspectId is required for "
                                + d.scaleVnfType());
                    }
                    if (by.numberOfSteps() != null && by.numberOfSteps() < 1) {
                        throw new InvalidRequestException(
                                "Invalid value at " + at + ".scaleByStepData.numberOfSteps: less than 1");
                    }
                    yield new Task(d.vnfInstanceId(), VnfTaskKind.SCALE, new ScaleVnfRequest(d.scaleVnfType(),
                            by.aspectId(), by.numberOfSteps() == null ? 1 : by.numberOfSteps(), by.additionalParams()));
                }
                case "SCALE_TO_INSTANTIATION_LEVEL" -> {
                    ScaleNsRequest.ScaleToLevelData to = d.scaleToLevelData();
                    if (to == null || to.vnfInstantiationLevelId() == null) {
                        throw new InvalidRequestException(
                                at + ".scaleToLevelData.vnfInstantiationLevelId is required for SCALE_TO_INSTANTIATION_LEVEL");
                    }
                    yield new Task(d.vnfInstanceId(), VnfTaskKind.SCALE_TO_LEVEL,
                            new ScaleVnfToLevelRequest(to.vnfInstantiationLevelId(), null, to.additionalParams()));
                }
                case "SCALE_TO_SCALE_LEVEL(S)" -> {
                    ScaleNsRequest.ScaleToLevelData to = d.scaleToLevelData();
                    if (to == null || to.vnfScaleInfo() == null || to.vnfScaleInfo().isEmpty()) {
                        throw new InvalidRequestException(
                                at + ".scaleToLevelData.vnfScaleInfo is required for SCALE_TO_SCALE_LEVEL(S)");
                    }
                    List<ScaleInfo> levels = new ArrayList<>();
                    for (ScaleNsRequest.VnfScaleInfo s : to.vnfScaleInfo()) {
                        if (s == null || s.aspectId() == null || s.scaleLevel() == null || s.scaleLevel() < 0) {
                            throw new InvalidRequestException(at
                                    + ".scaleToLevelData.vnfScaleInfo: each needs an aspectId and a scaleLevel of 0 or more");
                        }
                        levels.add(new ScaleInfo(s.aspectId(), null, s.scaleLevel()));
                    }
                    yield new Task(d.vnfInstanceId(), VnfTaskKind.SCALE_TO_LEVEL,
                            new ScaleVnfToLevelRequest(null, levels, to.additionalParams()));
                }
                default -> throw new InvalidRequestException("Invalid value at " + at + ".scaleVnfType: "
                        + d.scaleVnfType()
                        + " is not SCALE_OUT, SCALE_IN, SCALE_TO_INSTANTIATION_LEVEL or SCALE_TO_SCALE_LEVEL(S)");
            });
        }
        return unique(tasks);
    }

    /**
     * SCALE_NS to a level of each NS scaling aspect the NSD declares: each VNF the aspect's VnfToLevelMapping names is
     * scaled to the VNF scale levels the mapping gives for that NS scale level.
     */
    private static List<Task> scaleNs(ScaleNsRequest.ScaleNsData data, NsdParser.Nsd nsd,
            Map<String, String> vnfOfProfile) {
        if (data == null || (data.scaleNsByStepsData() == null && data.scaleNsToLevelData() == null)) {
            throw new InvalidRequestException(
                    "scaleNsData with scaleNsByStepsData or scaleNsToLevelData is required when scaleType is SCALE_NS");
        }
        if (data.scaleNsByStepsData() != null) {
            String aspect = data.scaleNsByStepsData().aspectId();
            requireAspect(nsd, aspect);
            throw new UnprocessableContentException("SCALE_NS by steps of aspect " + aspect
                    + " is not supported: scale to a level with scaleNsData.scaleNsToLevelData.nsScaleInfo");
        }
        ScaleNsRequest.ScaleNsToLevelData to = data.scaleNsToLevelData();
        if (to.nsScaleInfo() == null || to.nsScaleInfo().isEmpty()) {
            throw new UnprocessableContentException("SCALE_NS to an NS instantiation level is not supported: give"
                    + " scaleNsData.scaleNsToLevelData.nsScaleInfo");
        }
        List<Task> tasks = new ArrayList<>();
        for (ScaleNsRequest.NsScaleInfo info : to.nsScaleInfo()) {
            if (info == null || info.nsScalingAspectId() == null || info.nsScaleLevelId() == null) {
                throw new InvalidRequestException("nsScaleInfo: each needs an nsScalingAspectId and an nsScaleLevelId");
            }
            requireAspect(nsd, info.nsScalingAspectId());
            for (NsdParser.VnfToLevelMapping mapping : nsd.levelMappings()) {
                if (!mapping.aspect().equals(info.nsScalingAspectId())) {
                    continue;
                }
                Map<String, Integer> levels = mapping.levels().get(info.nsScaleLevelId());
                if (levels == null) {
                    throw new UnprocessableContentException("NS scaling aspect " + info.nsScalingAspectId()
                            + " has no level " + info.nsScaleLevelId() + " for VNF profile(s) " + mapping.targets());
                }
                for (String profile : mapping.targets()) {
                    String vnf = vnfOfProfile.get(profile);
                    if (vnf == null) {
                        continue; // a profile with no VNF in the NS (removed from it): nothing to scale
                    }
                    tasks.add(new Task(vnf, VnfTaskKind.SCALE_TO_LEVEL, new ScaleVnfToLevelRequest(null,
                            levels.entrySet().stream().map(e -> new ScaleInfo(e.getKey(), null, e.getValue()))
                                    .toList(),
                            null)));
                }
            }
        }
        return unique(tasks);
    }

    private static void requireAspect(NsdParser.Nsd nsd, String aspect) {
        if (aspect == null || !nsd.nsScalingAspects().contains(aspect)) {
            throw new UnprocessableContentException("The NSD declares no NS scaling aspect " + aspect
                    + " (tosca.policies.nfv.NsScalingAspects); it declares " + nsd.nsScalingAspects());
        }
    }

    static List<Task> heal(HealNsRequest r) {
        if (r == null || (r.healNsData() == null && (r.healVnfData() == null || r.healVnfData().isEmpty()))) {
            throw new InvalidRequestException("healVnfData (or healNsData) is required");
        }
        if (r.healNsData() != null) {
            throw new UnprocessableContentException(
                    "healNsData is not supported: this NFVO heals the NS's VNFs, each named in healVnfData");
        }
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < r.healVnfData().size(); i++) {
            HealNsRequest.HealVnfData d = r.healVnfData().get(i);
            if (d == null || d.vnfInstanceId() == null) {
                throw new InvalidRequestException("healVnfData[" + i + "].vnfInstanceId is required");
            }
            tasks.add(new Task(d.vnfInstanceId(), VnfTaskKind.HEAL,
                    new HealVnfRequest(vnfcsToHeal(d, i), d.cause(), d.additionalParams(), null)));
        }
        return unique(tasks);
    }

    /**
     * The VNFCs a heal names: SOL005's HealVnfData has no VNFC list, so this NFVO takes one from its
     * {@code additionalParams.vnfcInstanceId} (a list of VNFC ids, as SOL003's HealVnfRequest has it) and heals every
     * VNFC of the VNF without it.
     */
    private static List<String> vnfcsToHeal(HealNsRequest.HealVnfData d, int i) {
        Object named = d.additionalParams() == null ? null : d.additionalParams().get("vnfcInstanceId");
        if (named == null) {
            return null;
        }
        if (!(named instanceof List<?> list) || list.isEmpty()
                || !list.stream().allMatch(v -> v instanceof String s && !s.isBlank())) {
            throw new InvalidRequestException(
                    "healVnfData[" + i + "].additionalParams.vnfcInstanceId must be a non-empty list of VNFC ids");
        }
        return list.stream().map(String.class::cast).toList();
    }

    /** The tasks of an update but ADD_VNF's, whose VNFs are not the NS's yet ({@link #joining}). */
    static List<Task> update(UpdateNsRequest r) {
        requireUpdateType(r);
        List<Task> tasks = new ArrayList<>();
        switch (r.updateType()) {
            case "REMOVE_VNF" -> {
                for (String id : required(r.removeVnfInstanceId(), "removeVnfInstanceId")) {
                    tasks.add(new Task(requireId(id, "removeVnfInstanceId"), VnfTaskKind.REMOVE, null));
                }
            }
            case "CHANGE_VNF_DF" -> {
                for (UpdateNsRequest.ChangeVnfFlavourData d : required(r.changeVnfFlavourData(),
                        "changeVnfFlavourData")) {
                    if (d == null || d.newFlavourId() == null) {
                        throw new InvalidRequestException("changeVnfFlavourData: each needs a newFlavourId");
                    }
                    tasks.add(new Task(requireId(d.vnfInstanceId(), "changeVnfFlavourData"),
                            VnfTaskKind.CHANGE_FLAVOUR, new ChangeVnfFlavourRequest(d.newFlavourId(),
                                    d.instantiationLevelId(), d.additionalParams(), d.extensions(),
                                    d.vnfConfigurableProperties())));
                }
            }
            case "OPERATE_VNF" -> {
                for (UpdateNsRequest.OperateVnfData d : required(r.operateVnfData(), "operateVnfData")) {
                    if (d == null || !Set.of("STARTED", "STOPPED").contains(d.changeStateTo())) {
                        throw new InvalidRequestException("operateVnfData: changeStateTo is STARTED or STOPPED");
                    }
                    if (d.stopType() != null && !Set.of("FORCEFUL", "GRACEFUL").contains(d.stopType())) {
                        throw new InvalidRequestException("operateVnfData: stopType is FORCEFUL or GRACEFUL");
                    }
                    tasks.add(new Task(requireId(d.vnfInstanceId(), "operateVnfData"), VnfTaskKind.OPERATE,
                            new OperateVnfRequest(null, d.changeStateTo(), d.stopType(), d.gracefulStopTimeout(),
                                    d.additionalParam())));
                }
            }
            case "MODIFY_VNF_INFORMATION" -> {
                for (UpdateNsRequest.ModifyVnfInfoData d : required(r.modifyVnfInfoData(), "modifyVnfInfoData")) {
                    if (d != null && d.metadata() != null && d.metadata().containsKey("nsInstanceId")) {
                        throw new InvalidRequestException(
                                "modifyVnfInfoData: metadata.nsInstanceId is the platform's (the NS the VNF is in)");
                    }
                    if (d != null && d.metadata() != null && d.metadata().containsKey(NsLcmService.COUNTERS)) {
                        throw new UnprocessableContentException("modifyVnfInfoData: metadata." + NsLcmService.COUNTERS
                                + " is the NFVO's (the VNF's data-plane counters as last read)");
                    }
                    tasks.add(new Task(requireId(d == null ? null : d.vnfInstanceId(), "modifyVnfInfoData"),
                            VnfTaskKind.MODIFY, new VnfInfoModificationRequest(d.vnfInstanceName(),
                                    d.vnfInstanceDescription(), d.vnfdId(), d.vnfConfigurableProperties(),
                                    d.metadata(), d.extensions())));
                }
            }
            default -> {
                // ADD_VNF: joining
            }
        }
        return unique(tasks);
    }

    static List<Joining> joining(UpdateNsRequest r) {
        requireUpdateType(r);
        if (!"ADD_VNF".equals(r.updateType())) {
            return List.of();
        }
        List<Joining> joining = new ArrayList<>();
        for (UpdateNsRequest.VnfInstanceData d : required(r.addVnfInstance(), "addVnfInstance")) {
            if (d == null || d.vnfProfileId() == null) {
                throw new InvalidRequestException("addVnfInstance: each needs a vnfInstanceId and a vnfProfileId");
            }
            joining.add(new Joining(requireId(d.vnfInstanceId(), "addVnfInstance"), d.vnfProfileId()));
        }
        if (joining.stream().map(Joining::vnfInstanceId).distinct().count() != joining.size()) {
            throw new UnprocessableContentException("addVnfInstance names a VNF instance twice");
        }
        return joining;
    }

    private static void requireUpdateType(UpdateNsRequest r) {
        if (r == null || r.updateType() == null) {
            throw new InvalidRequestException("updateType is required");
        }
        if (!UPDATE_TYPES.contains(r.updateType())) {
            throw new UnprocessableContentException("updateType " + r.updateType()
                    + " is not supported; this NFVO runs " + UPDATE_TYPES.stream().sorted().toList());
        }
    }

    private static <T> List<T> required(List<T> list, String name) {
        if (list == null || list.isEmpty()) {
            throw new InvalidRequestException(name + " is required for this updateType");
        }
        return list;
    }

    private static String requireId(String id, String where) {
        if (id == null || id.isBlank()) {
            throw new InvalidRequestException(where + ": vnfInstanceId is required");
        }
        return id;
    }

    /** One task per VNF: an NS operation sends each VNF one request. */
    private static List<Task> unique(List<Task> tasks) {
        if (tasks.stream().map(Task::vnfInstanceId).distinct().count() != tasks.size()) {
            throw new UnprocessableContentException(
                    "The request asks two things of one VNF instance; one NS operation sends each VNF one request");
        }
        return tasks;
    }
}
