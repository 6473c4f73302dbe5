package io.isthmus.slowpath.policy;

import java.nio.ByteBuffer;

import io.isthmus.control.FlowKey;
import io.isthmus.control.PuntReason;

/**
 * A packet a fastpath punted because its flow has no rule, or because its rule could not forward it.
 *
 * @param fastpathId the fastpath that punted it
 * @param key the packet's flow key; for an ICMP error, the flow of the packet it quotes turned around (the key a
 *        packet travelling with the error would have)
 * @param packet the packet from its VXLAN header on, read-only, valid only during {@link VnfPolicy#onMiss}
 * @param reason why it was punted: {@link PuntReason#MISS}, {@link PuntReason#ICMP_ERROR} (an ICMP error whose flow
 *        has no rule: it must not create state, RFC 5508 REQ-7), {@link PuntReason#NON_ESP} (a UDP packet with the
 *        non-ESP marker on a rule that decrypts ESP in UDP: IKE on port 4500 for the policy's IKE, keyed by its own
 *        flow; re-injecting it would only punt it again), {@link PuntReason#NO_ROUTE} (a routed VNI's packet its route
 *        table has no route for, as received) or {@link PuntReason#TTL_EXCEEDED} (given to
 *        {@link VnfPolicy#onTtlExceeded})
 */
public record Miss(int fastpathId, FlowKey key, ByteBuffer packet, int reason) {

    /** A plain miss: no rule for the packet's flow. */
    public Miss(int fastpathId, FlowKey key, ByteBuffer packet) {
        this(fastpathId, key, packet, PuntReason.MISS);
    }

    /** Whether the packet is IKE on an ESP-in-UDP rule (the non-ESP marker), punted as received. */
    public boolean isNonEsp() {
        return reason == PuntReason.NON_ESP;
    }

    /**
     * Whether the packet came on a VNI bound to a route table (ROUTE_UPDATE) that has no route for its destination:
     * punted as received, for a router's ICMP destination unreachable.
     */
    public boolean isNoRoute() {
        return reason == PuntReason.NO_ROUTE;
    }

    /** Whether the packet is an ICMP error keyed by the flow it quotes. */
    public boolean isIcmpError() {
        return reason == PuntReason.ICMP_ERROR;
    }
}
