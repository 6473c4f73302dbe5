package io.isthmus.fastpath.worker;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.PuntReason;
import io.isthmus.control.Rule;
import io.isthmus.control.message.BatchFlyweight;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.FlowDumpFlyweight;
import io.isthmus.control.message.FlowExpiredFlyweight;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.InstallFlyweight;
import io.isthmus.control.message.PuntFlyweight;
import io.isthmus.control.message.ReinjectFlyweight;
import io.isthmus.control.message.RemoveFlyweight;
import io.isthmus.control.message.StatsResponseFlyweight;
import io.isthmus.control.message.TransmitFlyweight;
import io.isthmus.control.message.WelcomeFlyweight;
import io.isthmus.fastpath.flow.ActionExecutor;
import io.isthmus.fastpath.flow.FlowTable;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.io.PacketHandler;
import io.isthmus.fastpath.io.PacketIo;
import io.isthmus.fastpath.packet.Ipv4Flyweight;
import io.isthmus.fastpath.packet.PacketParser;
import io.isthmus.fastpath.packet.TcpFlyweight;
import io.isthmus.fastpath.route.RouteTables;

/**
 * One fastpath worker: polls its data port, forwards packets that hit the flow table, punts the rest (bounded by a
 * {@link PuntLimiter}), and applies the slowpath's control messages (INSTALL, REMOVE, REINJECT, REINJECT_BATCH,
 * STATS_REQUEST, WELCOME, INSTALL_SA, REMOVE_SA, INSTALL_ROUTE, ROUTE_BATCH, TIMEOUTS) on the same thread, so the flow
 * table, the SA table and the route table have a single writer and need no locks. It says HELLO ({@link #HELLO_FLAGS}) to
 * the slowpath on start and every hello interval, so a restarted slowpath learns it again.
 * <p>
 * It drives the flow table's clock: each {@link #doWork()} stamps hits with the clock's time and lets the timer wheel
 * expire up to {@link #EXPIRY_BUDGET} idle flows, which it reports to the slowpath in FLOW_EXPIRED messages of at most
 * {@link FlowExpiredFlyweight#MAX_KEYS} keys. Punts: misses ({@code MISS}, or {@code ICMP_ERROR} for an ICMP
 * error keyed by its quote), IPv6, expiring TTLs ({@code TTL_EXCEEDED}, except of ICMP errors, which are dropped:
 * no error about an error), IKE behind the non-ESP marker on an ESP_DECRYPT rule ({@code NON_ESP}, RFC 3948; a NAT
 * keepalive there is dropped and counted), and what the parser cannot key.
 * <p>
 * A received batch is looked up ahead when the flows outgrow the caches ({@link BatchPrefetcher}), so its cache
 * misses overlap. Nothing on the packet path allocates: the parser, flyweights, tables and message buffers are
 * preallocated, and ESP's cipher contexts are made when an SA is installed (ESP through javax.crypto, the fallback when
 * libcrypto does not load, is the exception, see {@code AesGcm}).
 */
public final class FastpathWorker implements Agent {

    private static final System.Logger LOG = System.getLogger(FastpathWorker.class.getName());

    /** Packets per data poll: bounds the time between control polls. */
    public static final int DATA_BATCH = 64;
    /** Control messages per poll. */
    public static final int CONTROL_BATCH = 16;
    /** What a worker takes beyond the first version's messages: it says so in every HELLO. */
    public static final int HELLO_FLAGS = HelloFlyweight.REINJECT_BATCH | HelloFlyweight.INSTALL_SA
            | HelloFlyweight.INSTALL_ROUTE | HelloFlyweight.ROUTE_BATCH | HelloFlyweight.TRANSMIT
            | HelloFlyweight.TIMEOUTS | HelloFlyweight.FLOW_DUMP | HelloFlyweight.COUNT_GROUPS
            | HelloFlyweight.ESP_EXTENDED | HelloFlyweight.ROUTE_TABLES;
    /** Flows the timer wheel may visit per {@link #doWork()}. */
    public static final int EXPIRY_BUDGET = 256;

    private final Settings settings;
    private final PacketIo data;
    private final PacketIo control;
    private final ForwardingEngine engine;
    private final PuntLimiter puntLimiter;
    private final WorkerCounters counters;
    private final NanoClock clock;

    private final PacketParser parser = new PacketParser();
    private final ByteBuffer controlOut = ByteBuffer.allocateDirect(ControlProtocol.MAX_MESSAGE_LENGTH);
    /** The PUNT_BATCH being gathered during a {@link #doWork()} ({@code puntBatchLength} 0: none). */
    private final ByteBuffer puntBatch = ByteBuffer.allocateDirect(ControlProtocol.MAX_BATCH_BYTES);
    private int puntBatchLength;
    /** Whether the slowpath said (WELCOME) that it takes PUNT_BATCH. */
    private boolean slowpathTakesPuntBatch;
    private final BatchPrefetcher prefetcher;
    private final PacketHandler onDataPacket = new PacketHandler() {
        @Override
        public void onPacket(ByteBuffer buffer, int offset, int length) {
            onDataPacket(buffer, offset, length);
        }

        @Override
        public boolean prefetches() {
            return prefetcher.worthwhile();
        }

        @Override
        public void prefetch(ByteBuffer buffer, int offset, int length) {
            prefetcher.add(buffer, offset, length);
        }

        @Override
        public void prefetched() {
            prefetcher.finish();
        }
    };
    private final PacketHandler onControlMessage = this::onControlMessage;
    private final BatchFlyweight.PacketVisitor onReinjected = this::reinjectPacket;
    private final FlowTable.ExpiryHandler onExpired = this::onExpired;
    private final long[] expiredHighs = new long[FlowExpiredFlyweight.MAX_KEYS];
    private final long[] expiredLows = new long[FlowExpiredFlyweight.MAX_KEYS];
    private int expiredCount;
    private final int dataAddress;
    private int sequence;
    private long nextHelloNanos;
    private boolean loggedError;
    /** Whether ROUTE_UPDATEs came in this control poll: a ROUTE_ACK follows it. */
    private boolean routeAckDue;
    private long routeRejectsReported;

    /**
     * What a worker is told at start.
     *
     * @param id the fastpath id, unique within the VNF
     * @param slowpath the slowpath's control endpoint
     * @param helloIntervalNanos how often to say HELLO
     */
    public record Settings(int id, InetSocketAddress slowpath, long helloIntervalNanos, int helloFlags) {

        /** A worker that takes every message this version knows ({@link #HELLO_FLAGS}). */
        public Settings(int id, InetSocketAddress slowpath, long helloIntervalNanos) {
            this(id, slowpath, helloIntervalNanos, HELLO_FLAGS);
        }
    }

    public FastpathWorker(Settings settings, PacketIo data, PacketIo control, ForwardingEngine engine,
            PuntLimiter puntLimiter, WorkerCounters counters, NanoClock clock) {
        this.settings = settings;
        this.data = data;
        this.control = control;
        this.engine = engine;
        this.puntLimiter = puntLimiter;
        this.counters = counters;
        this.clock = clock;
        this.prefetcher = new BatchPrefetcher(engine);
        this.dataAddress = Ipv4Addresses.of(data.localAddress().getAddress());
        this.nextHelloNanos = clock.nanoTime();
        engine.advanceTo(nextHelloNanos);
    }

    @Override
    public int doWork() {
        long now = clock.nanoTime();
        engine.advanceTo(now);
        // the slowpath's messages first: a rule it sent before a packet of its flow arrived applies to that packet
        int work = control.poll(onControlMessage, CONTROL_BATCH);
        if (routeAckDue) {
            sendRouteAck();
        }
        work += data.poll(onDataPacket, DATA_BATCH);
        // punts of re-injected packets whose TTL expired in the control poll, and of the data poll
        flushPunts();
        int expired = engine.expire(now, EXPIRY_BUDGET, onExpired);
        if (expired > 0) {
            sendExpired();
            counters.add(FastpathStats.EXPIRED_FLOWS_INDEX, expired);
            counters.set(FastpathStats.FLOWS_INDEX, engine.flowCount());
            work += expired;
        }
        if (now - nextHelloNanos >= 0) {
            sendHello();
            nextHelloNanos = now + settings.helloIntervalNanos();
            work++;
        }
        return work;
    }

    @Override
    public void onError(Throwable error) {
        counters.increment(FastpathStats.ERRORS_INDEX);
        if (!loggedError) {
            loggedError = true;
            LOG.log(Level.ERROR, "fastpath " + settings.id() + " worker failed (logged once, then counted)", error);
        }
    }

    @Override
    public String roleName() {
        return "fastpath-" + settings.id();
    }

    public WorkerCounters counters() {
        return counters;
    }

    // ---------------------------------------------------------------- data path

    private void onDataPacket(ByteBuffer buffer, int offset, int length) {
        counters.increment(FastpathStats.PACKETS_INDEX);
        counters.add(FastpathStats.BYTES_INDEX, length);
        int result = parser.parse(buffer, offset, length);
        if (result < 0) {
            counters.increment(result == PacketParser.TRUNCATED
                    ? FastpathStats.TRUNCATED_PACKETS_INDEX
                    : FastpathStats.MALFORMED_PACKETS_INDEX);
            counters.increment(FastpathStats.ERRORS_INDEX);
            return;
        }
        if (result != PacketParser.PARSED) {
            if (result == PuntReason.IPV6) {
                counters.increment(FastpathStats.IPV6_INDEX);
            }
            punt(result, buffer, offset, length);
            return;
        }
        // an ICMP error travels with its flow's rule but is no activity of the flow (RFC 5508 REQ-6)
        int program = parser.isIcmpError() ? engine.peek(parser) : engine.lookup(parser);
        if (program == FlowTable.MISSING) {
            int hop = engine.route(parser);
            if (hop != RouteTables.NOT_ROUTED) {
                routed(hop, buffer, offset, length);
                return;
            }
        }
        if (program == FlowTable.MISSING || opensAgain()) {
            counters.increment(FastpathStats.MISSES_INDEX);
            punt(parser.isIcmpError() ? PuntReason.ICMP_ERROR : PuntReason.MISS, buffer, offset, length);
            return;
        }
        counters.increment(FastpathStats.HITS_INDEX);
        forward(program, buffer, offset, length);
    }

    /**
     * Whether the packet is a SYN (without ACK) on a TCP flow whose connection closed (a FIN or an RST passed): a new
     * connection on the same five-tuple, which the slowpath decides afresh (a load balancer may give it another
     * backend), as a miss. Its re-injection is forwarded by whatever rule the slowpath installed.
     */
    private boolean opensAgain() {
        return parser.protocol() == Ipv4Flyweight.PROTOCOL_TCP
                && (parser.tcp().flags() & (TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK | TcpFlyweight.FLAG_RST
                        | TcpFlyweight.FLAG_FIN)) == TcpFlyweight.FLAG_SYN
                && engine.isTransitory(parser.keyHigh(), parser.keyLow());
    }

    private void forward(int program, ByteBuffer buffer, int offset, int length) {
        int verdict = engine.execute(program, parser);
        if (verdict >= 0) {
            // the program may have changed the length (ESP)
            if (!data.send(buffer, offset, parser.packetLength(), engine.nextHop(verdict))) {
                counters.increment(FastpathStats.DROPS_INDEX);
            }
            return;
        }
        switch (verdict) {
            // a program that cannot complete is the slowpath's bug: an error, not a drop (FastpathStats)
            case ActionExecutor.NO_NEXT_HOP, ActionExecutor.NOT_REWRITABLE -> counters.increment(
                    FastpathStats.ERRORS_INDEX);
            case ActionExecutor.TTL_EXPIRED -> {
                counters.increment(FastpathStats.TTL_EXCEEDED_INDEX);
                if (parser.isIcmpError()) {
                    counters.increment(FastpathStats.DROPS_INDEX);
                } else {
                    punt(PuntReason.TTL_EXCEEDED, buffer, offset, parser.packetLength());
                }
            }
            case ActionExecutor.ESP_FAILED -> {
                counters.increment(FastpathStats.ESP_ERRORS_INDEX);
                counters.increment(FastpathStats.DROPS_INDEX);
            }
            // IKE on the ESP port (RFC 3948 non-ESP marker): the slowpath's, keyed by the outer flow
            case ActionExecutor.NON_ESP -> punt(PuntReason.NON_ESP, buffer, offset, parser.packetLength());
            case ActionExecutor.NAT_KEEPALIVE -> {
                counters.increment(FastpathStats.NAT_KEEPALIVES_INDEX);
                counters.increment(FastpathStats.DROPS_INDEX);
            }
            default -> counters.increment(FastpathStats.DROPS_INDEX);
        }
    }

    /**
     * A packet of a routed VNI that no rule matched, after its route table's answer ({@link ForwardingEngine#route}):
     * sent to the next hop, or punted (no route: for the slowpath's ICMP unreachable; TTL expired: its time exceeded
     * — never for an ICMP error, which is dropped), or dropped by a blackhole route.
     */
    private void routed(int hop, ByteBuffer buffer, int offset, int length) {
        if (hop >= 0) {
            counters.increment(FastpathStats.ROUTED_INDEX);
            if (!data.send(buffer, offset, parser.packetLength(), engine.nextHop(hop))) {
                counters.increment(FastpathStats.DROPS_INDEX);
            }
            return;
        }
        switch (hop) {
            case RouteTables.NO_ROUTE -> {
                counters.increment(FastpathStats.NO_ROUTE_INDEX);
                if (parser.isIcmpError()) {
                    counters.increment(FastpathStats.DROPS_INDEX);
                } else {
                    punt(PuntReason.NO_ROUTE, buffer, offset, length);
                }
            }
            case ActionExecutor.TTL_EXPIRED -> {
                counters.increment(FastpathStats.TTL_EXCEEDED_INDEX);
                if (parser.isIcmpError()) {
                    counters.increment(FastpathStats.DROPS_INDEX);
                } else {
                    punt(PuntReason.TTL_EXCEEDED, buffer, offset, length);
                }
            }
            default -> {
                counters.increment(FastpathStats.BLACKHOLED_INDEX);
                counters.increment(FastpathStats.DROPS_INDEX);
            }
        }
    }

    private void punt(int reason, ByteBuffer buffer, int offset, int length) {
        if (length > PuntFlyweight.MAX_PACKET_LENGTH || !puntLimiter.tryAcquire(clock.nanoTime())) {
            dropPunt();
            return;
        }
        int messageLength = PuntFlyweight.encode(controlOut, 0, settings.id(), ++sequence, reason,
                parser.keyHigh(), parser.keyLow(), buffer, offset, length);
        int entry = BatchFlyweight.entryLength(messageLength);
        if (slowpathTakesPuntBatch && BatchFlyweight.ENTRIES_OFFSET + entry <= ControlProtocol.MAX_BATCH_BYTES) {
            if (puntBatchLength > 0 && puntBatchLength + entry > ControlProtocol.MAX_BATCH_BYTES) {
                flushPunts();
            }
            if (puntBatchLength == 0) {
                puntBatchLength = BatchFlyweight.encode(puntBatch, 0, ControlProtocol.PUNT_BATCH,
                        settings.id(), ++sequence);
            }
            puntBatchLength = BatchFlyweight.append(puntBatch, 0, puntBatchLength, controlOut, 0,
                    messageLength);
            return;
        }
        if (control.send(controlOut, 0, messageLength, settings.slowpath())) {
            counters.increment(FastpathStats.PUNTS_INDEX);
        } else {
            dropPunt();
        }
    }

    /** Sends the punts gathered since the last flush, in one PUNT_BATCH. */
    private void flushPunts() {
        if (puntBatchLength == 0) {
            return;
        }
        int punts = BatchFlyweight.count(puntBatch, 0);
        if (control.send(puntBatch, 0, puntBatchLength, settings.slowpath())) {
            counters.add(FastpathStats.PUNTS_INDEX, punts);
        } else {
            counters.add(FastpathStats.PUNT_DROPS_INDEX, punts);
            counters.add(FastpathStats.DROPS_INDEX, punts);
        }
        puntBatchLength = 0;
    }

    private void onExpired(long keyHigh, long keyLow, int program) {
        expiredHighs[expiredCount] = keyHigh;
        expiredLows[expiredCount] = keyLow;
        if (++expiredCount == expiredHighs.length) {
            sendExpired();
        }
    }

    /** Reports the expired flows gathered so far; best effort, a full socket loses them (counted as an error). */
    private void sendExpired() {
        if (expiredCount == 0) {
            return;
        }
        int length = FlowExpiredFlyweight.encode(controlOut, 0, settings.id(), ++sequence,
                FlowExpiredFlyweight.EXPIRED_IDLE, expiredHighs, expiredLows, expiredCount);
        expiredCount = 0;
        if (!control.send(controlOut, 0, length, settings.slowpath())) {
            counters.increment(FastpathStats.ERRORS_INDEX);
        }
    }

    private void dropPunt() {
        counters.increment(FastpathStats.PUNT_DROPS_INDEX);
        counters.increment(FastpathStats.DROPS_INDEX);
    }

    // ---------------------------------------------------------------- control path

    private void onControlMessage(ByteBuffer buffer, int offset, int length) {
        if (!ControlProtocol.isValidHeader(buffer, offset, length)
                || ControlProtocol.fastpathId(buffer, offset) != settings.id()) {
            badControlMessage();
            return;
        }
        switch (ControlProtocol.type(buffer, offset)) {
            case ControlProtocol.INSTALL -> {
                int rejected = engine.install(buffer, offset, length);
                if (rejected < 0) {
                    badControlMessage();
                } else {
                    counters.add(FastpathStats.INSTALL_REJECTS_INDEX, rejected);
                }
                counters.set(FastpathStats.FLOWS_INDEX, engine.flowCount());
            }
            case ControlProtocol.REMOVE -> {
                if (RemoveFlyweight.isRemoveAll(buffer, offset, length)) {
                    // a slowpath that starts this fastpath afresh says again what it takes (WELCOME), or not at all
                    slowpathTakesPuntBatch = false;
                }
                if (engine.remove(buffer, offset, length) < 0) {
                    badControlMessage();
                }
                counters.set(FastpathStats.FLOWS_INDEX, engine.flowCount());
                counters.set(FastpathStats.ROUTES_INDEX, routeCount());
            }
            case ControlProtocol.INSTALL_SA -> {
                int installed = engine.installSecurityAssociation(buffer, offset, length);
                if (installed < 0) {
                    badControlMessage();
                } else if (installed == 0) {
                    counters.increment(FastpathStats.INSTALL_REJECTS_INDEX);
                } else {
                    counters.increment(FastpathStats.SA_INSTALLS_INDEX);
                }
            }
            case ControlProtocol.REMOVE_SA -> {
                if (engine.removeSecurityAssociation(buffer, offset, length) < 0) {
                    badControlMessage();
                }
            }
            case ControlProtocol.INSTALL_ROUTE, ControlProtocol.ROUTE_BATCH -> {
                int rejected = engine.installRoutes(ControlProtocol.type(buffer, offset), buffer, offset, length);
                if (rejected < 0) {
                    badControlMessage();
                } else {
                    counters.add(FastpathStats.INSTALL_REJECTS_INDEX, rejected);
                }
                counters.set(FastpathStats.ROUTES_INDEX, routeCount());
            }
            case ControlProtocol.ROUTE_UPDATE -> {
                if (engine.updateRouteTables(buffer, offset, length) < 0) {
                    badControlMessage();
                }
                routeAckDue = true;
            }
            case ControlProtocol.TIMEOUTS -> {
                // refused whole if a timeout is under its RFC minimum; the timeouts held stay
                if (!engine.applyTimeouts(buffer, offset, length)) {
                    badControlMessage();
                }
            }
            case ControlProtocol.REINJECT -> reinject(buffer, offset, length);
            case ControlProtocol.REINJECT_BATCH -> {
                if (BatchFlyweight.decode(buffer, offset, length, onReinjected) < 0) {
                    badControlMessage();
                }
            }
            case ControlProtocol.TRANSMIT -> transmit(buffer, offset, length);
            case ControlProtocol.FLOW_DUMP_REQUEST -> dumpFlows();
            case ControlProtocol.STATS_REQUEST -> sendStats(ControlProtocol.sequence(buffer, offset));
            case ControlProtocol.WELCOME -> {
                if (WelcomeFlyweight.isValid(buffer, offset, length)) {
                    slowpathTakesPuntBatch = (WelcomeFlyweight.flags(buffer, offset)
                            & WelcomeFlyweight.PUNT_BATCH) != 0;
                } else {
                    badControlMessage();
                }
            }
            default -> badControlMessage();
        }
    }

    /** A control message dropped unapplied (FastpathStats#BAD_CONTROL_MESSAGES_INDEX). */
    private void badControlMessage() {
        counters.increment(FastpathStats.BAD_CONTROL_MESSAGES_INDEX);
        counters.increment(FastpathStats.ERRORS_INDEX);
    }

    private void reinject(ByteBuffer buffer, int offset, int length) {
        if (!ReinjectFlyweight.isValid(buffer, offset, length)) {
            badControlMessage();
            return;
        }
        reinjectPacket(buffer, offset + ReinjectFlyweight.PACKET_OFFSET,
                ReinjectFlyweight.packetLength(buffer, offset));
    }

    /**
     * A packet the slowpath made (an ICMP error from the VNF's address), sent as it is to the next hop it names: from
     * this fastpath's data socket, so it comes from the tunnel endpoint the VPC's vSwitch knows. One the socket could
     * not send is a drop.
     */
    private void transmit(ByteBuffer buffer, int offset, int length) {
        if (!TransmitFlyweight.isValid(buffer, offset, length)) {
            badControlMessage();
            return;
        }
        InetSocketAddress to = Ipv4Addresses.socketAddress(TransmitFlyweight.nextHopAddress(buffer, offset),
                TransmitFlyweight.nextHopPort(buffer, offset));
        if (!data.send(buffer, offset + TransmitFlyweight.PACKET_OFFSET,
                TransmitFlyweight.packetLength(buffer, offset), to)) {
            counters.increment(FastpathStats.DROPS_INDEX);
        }
    }

    /**
     * Answers a FLOW_DUMP_REQUEST: every rule of the table, in FLOW_DUMPs of one unfragmented datagram each, the last
     * flagged. A slowpath that started while this fastpath forwarded learns its state back from them. Runs on the
     * worker (forwarding waits for it: about a microsecond a rule).
     */
    private void dumpFlows() {
        List<Rule> rules = engine.rules();
        int from = 0;
        do {
            int bytes = InstallFlyweight.RULES_OFFSET;
            int to = from;
            while (to < rules.size() && to - from < 0xFFFF) {
                int ruleBytes = InstallFlyweight.ruleLength(rules.get(to));
                if (bytes + ruleBytes > ControlProtocol.MAX_BATCH_BYTES) {
                    break;
                }
                bytes += ruleBytes;
                to++;
            }
            int length = FlowDumpFlyweight.encode(controlOut, 0, settings.id(), ++sequence, rules.subList(from, to),
                    to == rules.size());
            if (!control.send(controlOut, 0, length, settings.slowpath())) {
                counters.increment(FastpathStats.ERRORS_INDEX);
            }
            from = to;
        } while (from < rules.size());
    }

    /** A packet the slowpath decided, back through the table (REINJECT, or one of a REINJECT_BATCH). */
    private void reinjectPacket(ByteBuffer buffer, int packetOffset, int packetLength) {
        counters.increment(FastpathStats.REINJECTS_INDEX);
        if (parser.parse(buffer, packetOffset, packetLength) != PacketParser.PARSED) {
            counters.increment(FastpathStats.DROPS_INDEX);
            return;
        }
        int program = engine.lookup(parser);
        if (program == FlowTable.MISSING) {
            // never punt a re-injected packet again: a policy that installs nothing must not loop
            counters.increment(FastpathStats.DROPS_INDEX);
            return;
        }
        forward(program, buffer, packetOffset, packetLength);
    }

    /** Routes in the table of INSTALL_ROUTE and in the route tables of ROUTE_UPDATE. */
    private int routeCount() {
        return engine.routes().size() + engine.routeTables().routes();
    }

    /** Says where the route tables stand after the ROUTE_UPDATEs of a control poll; a lost ack is sent again later. */
    private void sendRouteAck() {
        routeAckDue = false;
        RouteTables tables = engine.routeTables();
        counters.set(FastpathStats.ROUTES_INDEX, routeCount());
        counters.add(FastpathStats.INSTALL_REJECTS_INDEX, tables.rejected() - routeRejectsReported);
        routeRejectsReported = tables.rejected();
        int length = tables.encodeAck(controlOut, 0, settings.id(), ++sequence);
        if (!control.send(controlOut, 0, length, settings.slowpath())) {
            counters.increment(FastpathStats.ERRORS_INDEX);
        }
    }

    private void sendHello() {
        int length = HelloFlyweight.encode(controlOut, 0, settings.id(), ++sequence, dataAddress,
                data.localAddress().getPort(), settings.helloFlags());
        control.send(controlOut, 0, length, settings.slowpath());
    }

    private void sendStats(int requestSequence) {
        counters.set(FastpathStats.FLOWS_INDEX, engine.flowCount());
        // counter groups only from a worker whose HELLO says it has them
        int length;
        int statsFlags = HelloFlyweight.ESP_EXTENDED | HelloFlyweight.COUNT_GROUPS;
        if ((settings.helloFlags() & statsFlags) == statsFlags) {
            // the SAs' section comes after the groups' (an empty one if nothing counted into a group)
            length = StatsResponseFlyweight.encode(controlOut, 0, settings.id(), requestSequence, counters.array(),
                    FastpathStats.COUNTER_COUNT, engine.groupCounts(), engine.securityAssociations());
        } else if ((settings.helloFlags() & HelloFlyweight.COUNT_GROUPS) != 0) {
            length = StatsResponseFlyweight.encode(controlOut, 0, settings.id(), requestSequence, counters.array(),
                    FastpathStats.COUNTER_COUNT, engine.groupCounts());
        } else {
            length = StatsResponseFlyweight.encode(controlOut, 0, settings.id(), requestSequence, counters.array(),
                    FastpathStats.COUNTER_COUNT);
        }
        if (!control.send(controlOut, 0, length, settings.slowpath())) {
            counters.increment(FastpathStats.ERRORS_INDEX);
        }
    }
}
