package io.isthmus.vnf.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.control.Action;
import io.isthmus.control.FlowKey;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Expiry;
import io.isthmus.slowpath.policy.Miss;

/** The NAT's side of idle expiry: a binding lives while any of its flows has a direction in use. */
class NatExpiryPolicyTest {

    private static final int PUBLIC = Ipv4Addresses.parse("203.0.113.10");
    private static final int HOST = Ipv4Addresses.parse("10.0.0.5");
    private static final int REMOTE = Ipv4Addresses.parse("198.51.100.7");

    private final NatPolicy policy = new NatPolicy();

    @BeforeEach
    void configure() throws Exception {
        policy.configure(new ObjectMapper().readTree(NatConfigTest.CONTRACT_EXAMPLE));
    }

    @Test
    void aFlowWhoseTwoDirectionsExpiredReleasesItsBindingAndRemovesBothRules() {
        // Given a bound flow
        FlowKey forward = new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 40001, 53);
        int port = publicPort(policy.onMiss(miss(forward)));
        FlowKey reverse = new FlowKey(200, FlowKey.UDP, REMOTE, PUBLIC, 53, port);

        // When its forward rule expired everywhere, the binding stays: replies may still come
        assertThat(policy.onFlowExpired(forward).remove()).isEmpty();
        assertThat(policy.bindings().size()).isEqualTo(1);

        // When the reverse rule expired too
        Expiry expiry = policy.onFlowExpired(reverse);

        // Then both rules go from every fastpath and the binding is released
        assertThat(expiry.remove()).containsExactly(forward, reverse);
        assertThat(policy.bindings().size()).isZero();
        assertThat(policy.bindings().byPublic(FlowKey.UDP, PUBLIC, port)).isEmpty();
        // And a reply arriving afterwards finds nothing to answer from
        assertThat(policy.onMiss(miss(reverse)).isDrop()).isTrue();
    }

    @Test
    void aBindingLivesWhileAnotherOfItsFlowsDoes() {
        // Given one inside endpoint talking to two remotes through the same public port
        FlowKey first = new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 40001, 53);
        FlowKey second = new FlowKey(100, FlowKey.UDP, HOST, REMOTE + 1, 40001, 123);
        int port = publicPort(policy.onMiss(miss(first)));
        policy.onMiss(miss(second));

        // When the first flow is over in both directions
        policy.onFlowExpired(first);
        Expiry expiry = policy.onFlowExpired(new FlowKey(200, FlowKey.UDP, REMOTE, PUBLIC, 53, port));

        // Then its rules go, but the binding (and the second flow's translation) stays
        assertThat(expiry.remove()).hasSize(2);
        assertThat(policy.bindings().byPublic(FlowKey.UDP, PUBLIC, port)).isPresent();
        assertThat(publicPort(policy.onMiss(miss(second)))).isEqualTo(port);
        // And the first remote may no longer answer
        assertThat(policy.onMiss(miss(new FlowKey(200, FlowKey.UDP, REMOTE, PUBLIC, 53, port))).isDrop()).isTrue();
    }

    @Test
    void aFlowThatMissesAgainAfterOneDirectionExpiredStartsOver() {
        FlowKey forward = new FlowKey(100, FlowKey.TCP, HOST, REMOTE, 51000, 443);
        int port = publicPort(policy.onMiss(miss(forward)));
        FlowKey reverse = new FlowKey(200, FlowKey.TCP, REMOTE, PUBLIC, 443, port);
        policy.onFlowExpired(forward);

        // When the inside host sends again (its forward rule was gone, so it missed and was installed again)
        assertThat(publicPort(policy.onMiss(miss(forward)))).isEqualTo(port);

        // Then the reverse rule expiring alone does not end the flow
        assertThat(policy.onFlowExpired(reverse).remove()).isEmpty();
        assertThat(policy.bindings().size()).isEqualTo(1);
    }

    @Test
    void expiriesOfUnknownRulesChangeNothing() {
        assertThat(policy.onFlowExpired(new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 1, 2)).remove()).isEmpty();
        assertThat(policy.onFlowExpired(new FlowKey(300, FlowKey.UDP, HOST, REMOTE, 1, 2)).remove()).isEmpty();
        assertThat(new NatPolicy().onFlowExpired(new FlowKey(100, FlowKey.UDP, HOST, REMOTE, 1, 2)).reason())
                .isEqualTo("not configured");
    }

    private static int publicPort(Decision decision) {
        return ((Action.RewriteSource) decision.rules().get(0).actions().get(0)).port();
    }

    private static Miss miss(FlowKey key) {
        return new Miss(1, key, ByteBuffer.allocate(0));
    }
}
