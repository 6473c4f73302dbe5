package io.isthmus.slowpath.control;

import java.net.InetSocketAddress;
import java.time.Instant;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.message.HelloFlyweight;

/**
 * A fastpath as the slowpath knows it.
 *
 * @param id its id
 * @param controlAddress where its control messages come from; INSTALL, REMOVE, REINJECT and STATS_REQUEST go there
 * @param dataAddress where its packets arrive (from its HELLO)
 * @param registeredAt when this registration (id at this control address) began
 * @param lastSeen the last HELLO
 * @param lastStats its counters at the last STATS_RESPONSE, or null before the first
 * @param helloFlags the flags of its last HELLO ({@code HelloFlyweight.REINJECT_BATCH})
 */
public record RegisteredFastpath(int id, InetSocketAddress controlAddress, InetSocketAddress dataAddress,
        Instant registeredAt, Instant lastSeen, FastpathStats lastStats, int helloFlags) {

    RegisteredFastpath seen(Instant now, InetSocketAddress data, int flags) {
        return new RegisteredFastpath(id, controlAddress, data, registeredAt, now, lastStats, flags);
    }

    RegisteredFastpath withStats(FastpathStats stats) {
        return new RegisteredFastpath(id, controlAddress, dataAddress, registeredAt, lastSeen, stats, helloFlags);
    }

    /** Whether it takes several re-injected packets in one message (REINJECT_BATCH). */
    public boolean takesReinjectBatches() {
        return (helloFlags & HelloFlyweight.REINJECT_BATCH) != 0;
    }
}
