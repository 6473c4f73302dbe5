package io.isthmus.slowpath.control;

import java.net.InetSocketAddress;
import java.time.Instant;

import io.isthmus.fastpath.control.FastpathStats;

/**
 * A fastpath as the slowpath knows it.
 *
 * @param id its id
 * @param controlAddress where its control messages come from; INSTALL, REMOVE, REINJECT and STATS_REQUEST go there
 * @param dataAddress where its packets arrive (from its HELLO)
 * @param registeredAt when this registration (id at this control address) began
 * @param lastSeen the last HELLO
 * @param lastStats its counters at the last STATS_RESPONSE, or null before the first
 */
public record RegisteredFastpath(int id, InetSocketAddress controlAddress, InetSocketAddress dataAddress,
        Instant registeredAt, Instant lastSeen, FastpathStats lastStats) {

    RegisteredFastpath seen(Instant now, InetSocketAddress data) {
        return new RegisteredFastpath(id, controlAddress, data, registeredAt, now, lastStats);
    }

    RegisteredFastpath withStats(FastpathStats stats) {
        return new RegisteredFastpath(id, controlAddress, dataAddress, registeredAt, lastSeen, stats);
    }
}
