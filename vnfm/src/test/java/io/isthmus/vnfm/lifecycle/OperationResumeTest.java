package io.isthmus.vnfm.lifecycle;

import static io.isthmus.vnfm.support.Sol003.opState;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.isthmus.sol.lifecycle.LcmOperationState;
import io.isthmus.vnfm.fakes.FakeNfvo;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.persistence.LcmOpOccEntity;
import io.isthmus.vnfm.persistence.LcmOpOccRepository;
import io.isthmus.vnfm.persistence.LcmOperationType;
import io.isthmus.vnfm.persistence.OperationStep;
import io.isthmus.vnfm.persistence.OperationWork;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfInstanceRepository;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The journal is all there is: an operation a previous vnfm left half done is taken up at its next step. */
@QuarkusTest
@WithTestResource(FakePeers.class)
class OperationResumeTest {

    @Inject
    VnfInstanceRepository instances;
    @Inject
    LcmOpOccRepository ops;

    @Test
    void operationLeftAtAllocateByAStoppedVnfmIsResumedThere() {
        // Given the journal of an instantiation that had read its package and been granted when the vnfm stopped
        String id = UUID.randomUUID().toString();
        String opId = UUID.randomUUID().toString();
        Instant before = Instant.now().minusSeconds(60);
        QuarkusTransaction.requiringNew().run(() -> {
            instances.persist(new VnfInstanceEntity(id, FakeNfvo.VNFD_ID, "resumed", null,
                    new VnfInstanceEntity.Descriptor(FakeNfvo.PACKAGE_ID, "Isthmus", "isthmus-nat", "1.0", "1.0"),
                    Map.of("tenant", "acme"), "acme", before));
            LcmOpOccEntity op = new LcmOpOccEntity(opId, id, "acme", LcmOperationType.INSTANTIATE,
                    Map.of("flavourId", "default", "additionalParams", Sol003.natConfig("203.0.113.30")), before);
            op.transition(LcmOperationState.PROCESSING, "processing started", null, before);
            op.granted("grant-of-the-previous-vnfm");
            op.stepDone(OperationStep.ALLOCATE, OperationWork.empty().withPackage(FakeNfvo.PACKAGE_ID, "nat",
                    List.of(new OperationWork.Vdu("slowpath", "slowpath", 1, 512, 1),
                            new OperationWork.Vdu("fastpath", "fastpath", 1, 256, 2)),
                    Map.of(), List.of()),
                    before);
            ops.persist(op);
        });

        // When this vnfm's worker finds it
        await().atMost(30, SECONDS)
                .untilAsserted(() -> assertThat(opState(Tokens.service(), opId)).isEqualTo("COMPLETED"));

        // Then it went on from ALLOCATE: no second grant, one allocation, the config sent
        assertThat(FakePeers.nfvo().grantRequestsFor(id)).isEmpty();
        assertThat(FakePeers.vim().allocateRequestsFor(id)).hasSize(1);
        assertThat(FakePeers.slowpath().configs())
                .anySatisfy(c -> assertThat(c.path("publicAddress").asText()).isEqualTo("203.0.113.30"));
        assertThat(Sol003.as(Tokens.service()).get(Sol003.ROOT + "/vnf_lcm_op_occs/" + opId).<String>path("grantId"))
                .isEqualTo("grant-of-the-previous-vnfm");
    }
}
