package io.isthmus.slowpath.policy;

import java.nio.ByteBuffer;

import io.isthmus.control.FlowKey;

/**
 * A packet a fastpath punted because its flow has no rule.
 *
 * @param fastpathId the fastpath that punted it
 * @param key the packet's flow key
 * @param packet the packet from its VXLAN header on, read-only, valid only during {@link VnfPolicy#onMiss}
 */
public record Miss(int fastpathId, FlowKey key, ByteBuffer packet) {
}
