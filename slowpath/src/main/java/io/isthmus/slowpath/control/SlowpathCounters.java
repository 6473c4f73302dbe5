package io.isthmus.slowpath.control;

import java.util.concurrent.atomic.AtomicLong;

/** The slowpath's own counters. */
public final class SlowpathCounters {

    /** PUNT messages received (queued or dropped). */
    public final AtomicLong punts = new AtomicLong();
    /** PUNTs dropped because the queue to the policy was full: the slowpath sheds load, it never queues without end. */
    public final AtomicLong puntQueueDrops = new AtomicLong();
    /** FLOW_EXPIRED messages dropped because even the queue's reserve was full. */
    public final AtomicLong expiryQueueDrops = new AtomicLong();
    /** Rules installed (each counted once, however many fastpaths received it). */
    public final AtomicLong installs = new AtomicLong();
    /** Security associations installed (INSTALL_SA; each counted once, however many fastpaths received it). */
    public final AtomicLong saInstalls = new AtomicLong();
    /** Routes installed (INSTALL_ROUTE or in a ROUTE_BATCH; each counted once). */
    public final AtomicLong routeInstalls = new AtomicLong();
    /**
     * Installs (an SA, a route, a route batch, a rule with ROUTE_LOOKUP) not sent to a fastpath because its HELLO did
     * not announce the message they need; counted once per install and fastpath.
     */
    public final AtomicLong unsupportedInstalls = new AtomicLong();
    /** Rules a fastpath held when it registered (FLOW_DUMP) that the policy took back. */
    public final AtomicLong learnedRules = new AtomicLong();
    /** Packets the policy made (ICMP errors) sent by a fastpath (TRANSMIT). */
    public final AtomicLong transmits = new AtomicLong();
    /** Packets re-injected. */
    public final AtomicLong reinjects = new AtomicLong();
    /** Misses the policy decided to drop. */
    public final AtomicLong policyDrops = new AtomicLong();
    /** Punts of packets the fastpath could not key (fragments, options, not IPv4, IPv6): counted and dropped. */
    public final AtomicLong unsupportedPunts = new AtomicLong();
    /** Keys fastpaths reported expired (FLOW_EXPIRED). */
    public final AtomicLong expiryReports = new AtomicLong();
    /** Rules that expired in every fastpath that held them, handed to the policy. */
    public final AtomicLong expiredFlows = new AtomicLong();
    /** Rules removed from every fastpath because the policy released their flow. */
    public final AtomicLong removes = new AtomicLong();
    /** Policy failures (exceptions) and malformed control messages. */
    public final AtomicLong errors = new AtomicLong();
    /**
     * Control messages dropped unapplied, also counted in {@link #errors}: not this protocol's header, a type the
     * slowpath does not take, or a body that does not check (a HELLO too short, a PUNT_BATCH whose entries overrun it
     * or are not PUNTs of its sender, a STATS_RESPONSE or FLOW_EXPIRED whose counts overrun it, a PUNT whose packet
     * does).
     */
    public final AtomicLong badControlMessages = new AtomicLong();

    /** Counts a control message dropped unapplied ({@link #badControlMessages}, {@link #errors}). */
    public void badControlMessage() {
        badControlMessages.incrementAndGet();
        errors.incrementAndGet();
    }
}
