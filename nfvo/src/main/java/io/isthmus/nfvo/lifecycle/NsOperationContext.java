package io.isthmus.nfvo.lifecycle;

import java.time.Instant;
import java.util.List;

import io.isthmus.nfvo.persistence.NsInstanceEntity;
import io.isthmus.nfvo.persistence.NsLcmOpOccEntity;
import io.isthmus.nfvo.persistence.NsOperationStep;
import io.isthmus.nfvo.persistence.NsOperationType;
import io.isthmus.nfvo.persistence.NsVnfEntity;
import io.isthmus.nfvo.persistence.VnfTaskKind;
import io.isthmus.nfvo.service.NextHops.Wire;
import io.isthmus.sol.lifecycle.LcmOperationState;

/** What a step needs to run, read in one transaction at {@code readAt}; the step itself runs outside any. */
public record NsOperationContext(String opId, long version, NsOperationType type, NsOperationStep step,
        Instant lastPoll, Instant readAt, String nsInstanceId, String nsName, String tenant, List<Member> members,
        List<Wire> wires) {

    /** One constituent VNF as the journal knows it. */
    public record Member(String id, String vnfProfileId, String vnfdId, String additionalParams,
            String vnfInstanceId, String vnfOpId, LcmOperationState vnfOpState, Instant notifiedAt,
            VnfTaskKind taskKind, String taskBody, String vnfInstance) {

        static Member of(NsVnfEntity v) {
            return new Member(v.id, v.vnfProfileId, v.vnfdId, v.additionalParams, v.vnfInstanceId(), v.vnfOpId(),
                    v.vnfOpState(), v.notifiedAt(), v.taskKind(), v.taskBody(), v.vnfInstance());
        }

        /** Whether the VNF operation the NS operation waits for is still running, as far as the journal knows. */
        boolean awaited() {
            return vnfOpId != null && (vnfOpState == null || !vnfOpState.isFinal());
        }
    }

    /** {@code wires}: the NS's chains (read for the wiring step only, else empty). */
    public static NsOperationContext of(NsLcmOpOccEntity op, NsInstanceEntity ns, List<NsVnfEntity> vnfs,
            List<Wire> wires, Instant now) {
        return new NsOperationContext(op.id, op.version(), op.type(), op.step(), op.lastPoll(), now, ns.id, ns.name,
                ns.tenant, vnfs.stream().map(Member::of).toList(), wires);
    }
}
