package io.isthmus.vnf.slb;

import static io.isthmus.vnf.slb.SlbPolicyTest.backendOf;
import static io.isthmus.vnf.slb.SlbPolicyTest.config;
import static io.isthmus.vnf.slb.SlbPolicyTest.configured;
import static io.isthmus.vnf.slb.SlbPolicyTest.syn;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Transmit;

/** A client that opens a new connection on the ports of one that ended (clients reuse their ports). */
class SlbPortReuseTest {

    @Test
    void aSynOnTheKeyOfAConnectionWhoseBackendFailedOpensANewConnectionInsteadOfAReset() {
        // Given a connection on a backend that then fails its check
        SlbPolicy policy = configured(config(SlbPolicyTest.THREE, "",
                ",\"healthCheck\":{\"type\":\"tcp\",\"intervalMs\":500,\"timeoutMs\":400,\"rise\":1,\"fall\":1}"));
        policy.healthChecks().forEach(check -> policy.onHealthChanged(check.id(), true));
        String first = backendOf(policy.onMiss(syn("172.16.1.5", 40000)));
        policy.onHealthChanged("web/" + first + ":80", false);

        // When the client opens a new connection from the same port
        Decision again = policy.onMiss(syn("172.16.1.5", 40000));

        // Then it gets a backend in service, not a reset
        assertThat(again.installs()).noneMatch(Transmit.class::isInstance);
        assertThat(backendOf(again)).isNotEqualTo(first);
    }
}
