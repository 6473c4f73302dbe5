package io.isthmus.slowpath.control;

import java.util.concurrent.atomic.AtomicLong;

/** The slowpath's own counters. */
public final class SlowpathCounters {

    /** PUNT messages received. */
    public final AtomicLong punts = new AtomicLong();
    /** Rules installed (each counted once, however many fastpaths received it). */
    public final AtomicLong installs = new AtomicLong();
    /** Packets re-injected. */
    public final AtomicLong reinjects = new AtomicLong();
    /** Misses the policy decided to drop. */
    public final AtomicLong policyDrops = new AtomicLong();
    /** Punts of packets the fastpath could not key (fragments, options, not IPv4): dropped for now. */
    public final AtomicLong unsupportedPunts = new AtomicLong();
    /** Policy failures (exceptions) and malformed control messages. */
    public final AtomicLong errors = new AtomicLong();
}
