package io.isthmus.slowpath.control;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.GroupCounters;
import io.isthmus.control.SaCounters;
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
 * @param lastPacketAt when a STATS_RESPONSE first showed its {@code packets} counter at its latest value (its
 *        registration while none did): it received its last data packet at most then, at the resolution of the stats
 *        requests
 * @param lastGroups its counter groups at the last STATS_RESPONSE, by group (those that counted anything; empty
 *        before the first)
 * @param lastSas its SAs' counters at the last STATS_RESPONSE, by SA table slot (empty before the first, or from a
 *        fastpath that sends none)
 */
public record RegisteredFastpath(int id, InetSocketAddress controlAddress, InetSocketAddress dataAddress,
        Instant registeredAt, Instant lastSeen, FastpathStats lastStats, int helloFlags, Instant lastPacketAt,
        Map<Integer, GroupCounters> lastGroups, Map<Integer, SaCounters> lastSas) {

    RegisteredFastpath seen(Instant now, InetSocketAddress data, int flags) {
        return new RegisteredFastpath(id, controlAddress, data, registeredAt, now, lastStats, flags, lastPacketAt,
                lastGroups, lastSas);
    }

    /**
     * Its counters, counter groups and SA counters as of {@code now}: a {@code packets} count that moved (or the first
     * one above zero) says it received data since the last response.
     */
    RegisteredFastpath withStats(FastpathStats stats, Map<Integer, GroupCounters> groups,
            Map<Integer, SaCounters> sas, Instant now) {
        long before = lastStats == null ? 0 : lastStats.packets();
        Instant packetAt = stats.packets() != before ? now : lastPacketAt;
        return new RegisteredFastpath(id, controlAddress, dataAddress, registeredAt, lastSeen, stats, helloFlags,
                packetAt, groups, sas);
    }

    /** Whether it takes several re-injected packets in one message (REINJECT_BATCH). */
    public boolean takesReinjectBatches() {
        return (helloFlags & HelloFlyweight.REINJECT_BATCH) != 0;
    }
}
