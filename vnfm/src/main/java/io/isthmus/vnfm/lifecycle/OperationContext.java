package io.isthmus.vnfm.lifecycle;

import java.util.List;
import java.util.Map;

import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.LcmOperationType;
import io.isthmus.vnfm.persistence.OperationPhase;
import io.isthmus.vnfm.persistence.OperationStep;
import io.isthmus.vnfm.persistence.OperationWork;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfcResource;

/** What a step needs to run, read in one transaction; the step itself runs outside any. */
public record OperationContext(String opId, LcmOperationType operation, OperationPhase phase, OperationStep step,
        int attempts, Map<String, Object> params, OperationWork work, String vnfInstanceId, String vnfdId,
        String tenant, Instance instance) {

    /** The instance as it was when the step began. */
    public record Instance(String allocationId, String flavourId, List<VnfcResource> vnfcs, String configSecret,
            Map<String, Integer> scaleStatus, Map<String, Object> desired, List<String> ingress, String name,
            String description, Map<String, Object> metadata, Map<String, Object> extensions, String vnfState,
            String vnfPkgId) {
    }

    public static OperationContext of(LcmOpOccEntity op, VnfInstanceEntity i) {
        return new OperationContext(op.id(), op.operation(), op.phase(), op.step(), op.attempts(),
                op.operationParams(), op.work(), i.id(), i.vnfdId(), i.tenant(),
                new Instance(i.allocationId(), i.flavourId(), i.vnfcResources(), i.configSecret(), i.scaleStatus(),
                        i.vnfConfiguration(), i.ingress(), i.name(), i.description(), i.metadata(), i.extensions(),
                        i.vnfState(), i.vnfPkgId()));
    }

    public String flavourId() {
        Object flavour = params == null ? null : params.get("flavourId");
        if (flavour == null && params != null) {
            flavour = params.get("newFlavourId");
        }
        return flavour == null ? instance.flavourId() : flavour.toString();
    }

    public String param(String name) {
        Object value = params == null ? null : params.get(name);
        return value == null ? null : value.toString();
    }

    /** The request's {@code additionalParams}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> additionalParams() {
        Object additional = params == null ? null : params.get("additionalParams");
        return additional instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
