package io.isthmus.vnfm.lifecycle;

import java.util.Map;

import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.LcmOperationType;
import io.isthmus.vnfm.persistence.OperationStep;
import io.isthmus.vnfm.persistence.OperationWork;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;

/** What a step needs to run, read in one transaction; the step itself runs outside any. */
public record OperationContext(String opId, long version, LcmOperationType operation, OperationStep step,
        int attempts, Map<String, Object> params, OperationWork work, String vnfInstanceId, String vnfdId,
        String tenant, String instanceAllocationId) {

    public static OperationContext of(LcmOpOccEntity op, VnfInstanceEntity instance) {
        return new OperationContext(op.id(), op.version(), op.operation(), op.step(), op.attempts(),
                op.operationParams(), op.work(), instance.id(), instance.vnfdId(), instance.tenant(),
                instance.allocationId());
    }

    public String flavourId() {
        Object flavour = params == null ? null : params.get("flavourId");
        return flavour == null ? null : flavour.toString();
    }

    /** InstantiateVnfRequest.additionalParams: the VNF-type configuration for the slowpath. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> additionalParams() {
        Object additional = params == null ? null : params.get("additionalParams");
        return additional instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
