package io.isthmus.vnfm.lifecycle;

import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static io.isthmus.vnfm.support.Sol003.opState;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.fakes.FakeVim;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The vnfm owns each VNF's desired configuration: checked against the type's JSON Schema (from its package) before
 * anything is granted or started, and given again to a slowpath that lost it.
 */
@QuarkusTest
@WithTestResource(FakePeers.class)
class DesiredConfigurationTest {

    private static final String SERVICE = Tokens.service();

    @Inject
    ConfigReconciler reconciler;
    @Inject
    ObjectMapper json;

    @Test
    void aConfigurationTheTypesSchemaRefusesIs422AndNothingIsGrantedOrStarted() {
        // Given a NAT instance
        String id = Sol003.createNat(SERVICE, "acme");
        Map<String, Object> config = new HashMap<>(Sol003.natConfig("203.0.113.20"));
        config.put("portRangeStart", 0);
        config.remove("outsideNextHop");

        // When it is instantiated with a configuration the NAT's schema refuses
        as(SERVICE).body(Map.of("flavourId", "default", "additionalParams", config))
                .post(ROOT + "/vnf_instances/" + id + "/instantiate")
                // Then the request is refused, naming what is wrong
                .then().statusCode(422).contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("detail", containsString("VNF type nat"))
                .body("detail", containsString("portRangeStart"))
                .body("detail", containsString("outsideNextHop"));

        // and nothing happened
        assertThat(FakePeers.nfvo().grantRequestsFor(id)).isEmpty();
        assertThat(FakePeers.vim().allocateRequestsFor(id)).isEmpty();
        as(SERVICE).get(ROOT + "/vnf_instances/" + id).then().statusCode(200)
                .body("instantiationState", equalTo("NOT_INSTANTIATED"));
        // (the vnfm does not filter vnf_lcm_op_occs yet, and other tests' operations may be listed: look for this one's)
        List<String> opsOfInstance = as(SERVICE).get(ROOT + "/vnf_lcm_op_occs?filter=(eq,vnfInstanceId," + id + ")")
                .then().statusCode(200).extract().path("findAll { it.vnfInstanceId == '" + id + "' }.id");
        assertThat(opsOfInstance).isEmpty();
    }

    @Test
    void aFlavourTheVnfdLacksIs422NamingTheFlavoursItHas() {
        String id = Sol003.createNat(SERVICE, "acme");

        as(SERVICE).body(Map.of("flavourId", "huge", "additionalParams", Sol003.natConfig("203.0.113.21")))
                .post(ROOT + "/vnf_instances/" + id + "/instantiate")
                .then().statusCode(422).body("detail", containsString("[default]"));
        assertThat(FakePeers.nfvo().grantRequestsFor(id)).isEmpty();
    }

    @Test
    void aSlowpathThatRestartedGetsItsConfigurationAgainWithoutAnyoneAsking() {
        // Given an instantiated NAT whose slowpath holds its configuration
        String id = Sol003.createNat(SERVICE, "acme");
        String opId = Sol003.instantiate(SERVICE, id, "203.0.113.22");
        await().atMost(30, SECONDS).until(() -> "COMPLETED".equals(opState(SERVICE, opId)));
        ConfigReconciler.Target target = reconciler.targets().stream().filter(t -> t.vnfInstanceId().equals(id))
                .findFirst().orElseThrow();
        reconciler.reconcile(target);
        int sent = FakePeers.slowpath().configs().size();

        // When nothing changed, nothing is sent
        assertThat(reconciler.reconcile(target)).isFalse();

        // When the slowpath restarts and forgets it
        FakePeers.slowpath().restart();

        // Then the reconciler sends it again, as the instance holds it
        assertThat(reconciler.reconcile(target)).isTrue();
        List<com.fasterxml.jackson.databind.JsonNode> configs = FakePeers.slowpath().configs();
        assertThat(configs).hasSize(sent + 1);
        assertThat(configs.getLast()).isEqualTo(json.valueToTree(Sol003.natConfig("203.0.113.22")));

        // and every call carried the secret the vim handed out with the allocation
        assertThat(FakePeers.slowpath().authorizations()).last()
                .isEqualTo("Bearer " + FakeVim.configSecretOf(OperationSteps.allocationId(id)));
    }
}
