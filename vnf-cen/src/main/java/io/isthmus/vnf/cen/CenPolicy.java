package io.isthmus.vnf.cen;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.PuntReason;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.IcmpErrors;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.PolicyContext;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.Transmit;
import io.isthmus.slowpath.policy.VnfPolicy;
import io.isthmus.vnf.cen.CenConfig.Attachment;
import io.isthmus.vnf.cen.CenConfig.Kind;
import io.isthmus.vnf.cen.CenRoutes.Advertisements;

/**
 * The cloud enterprise network (VNF type {@code "cen"}, docs/cen.md): a transit router between a tenant's attachments
 * (VPCs, VPN connections, external routers). It installs no flow rules: its configuration becomes route tables in the
 * fastpaths ({@link CenRoutes}: which VNI is routed by which table, and each table's routes), and the fastpaths route
 * every packet of a bound VNI by longest prefix match, TTL decremented, out on the next hop's VNI to its VXLAN endpoint.
 * <p>
 * What the fastpaths cannot route comes here: a packet with no route ({@link PuntReason#NO_ROUTE}) is answered with an
 * ICMP destination unreachable (net unreachable), one whose TTL ran out with an ICMP time exceeded, both from the
 * CEN's {@code routerAddress} back to the attachment the packet came from, at most {@code icmpErrorsPerSecond} a
 * second; anything else is dropped.
 * <p>
 * Router attachments learn their routes by BGP: the sessions run outside the policy ({@link BgpSessions}), started
 * from {@link #attach} and after each configuration, and their events come back through
 * {@link PolicyContext#submit} into {@link #onBgpRoutes}, {@link #onBgpEstablished} and {@link #onBgpDown}, whose answers
 * are the route changes. Every method here is pure: state and answers, no I/O.
 */
public final class CenPolicy implements VnfPolicy {

    public static final String VNF_TYPE = "cen";
    /** ICMP destination unreachable, code 0: net unreachable (RFC 792). */
    static final int CODE_NET_UNREACHABLE = 0;

    /** Why a punted packet was dropped, counted in {@code /stats} {@code indicators.drops}. */
    enum Drop {
        NOT_CONFIGURED("notConfigured"),
        /** A packet on a VNI that is no attachment's. */
        UNKNOWN_VNI("unknownVni"),
        /** A miss that is not for want of a route (the CEN installs no flow rules). */
        NOT_ROUTED("notRouted"),
        /** An ICMP error would be due, but the rate limit was reached. */
        ICMP_RATE_LIMITED("icmpRateLimited"),
        /** No ICMP error may be sent about the packet (RFC 1812 4.3.2.7: an ICMP error, a fragment, a broadcast). */
        NO_ICMP_ERROR("noIcmpError");

        final String indicator;

        Drop(String indicator) {
            this.indicator = indicator;
        }
    }

    private final Clock clock;
    private final Function<PolicyContext, BgpSessions> sessionsFactory;
    private final CenRoutes routes = new CenRoutes();
    private final TokenBucket icmpBucket = new TokenBucket(CenConfig.DEFAULT_ICMP_ERRORS_PER_SECOND);
    private final long[] drops = new long[Drop.values().length];
    private final Map<Integer, Attachment> byVni = new HashMap<>();
    private PolicyContext context;
    private BgpSessions sessions = BgpSessions.NONE;
    private CenConfig config;
    private long netUnreachableSent;
    private long timeExceededSent;

    /** For the ServiceLoader: the system clock, BGP sessions over the host's network. */
    public CenPolicy() {
        this(Clock.systemUTC(), CenBgpSessions::new);
    }

    /**
     * @param clock the time of the ICMP rate limit
     * @param sessions makes the BGP sessions' runner from the slowpath's context (in {@link #attach})
     */
    public CenPolicy(Clock clock, Function<PolicyContext, BgpSessions> sessions) {
        this.clock = clock;
        this.sessionsFactory = sessions;
    }

    @Override
    public String vnfType() {
        return VNF_TYPE;
    }

    @Override
    public void attach(PolicyContext context) {
        this.context = context;
        this.sessions = sessionsFactory.apply(context);
    }

    @Override
    public void close() {
        sessions.close();
    }

    @Override
    public boolean configure(JsonNode config) throws InvalidConfigException {
        return reconfigure(config).reset();
    }

    /**
     * Applies a configuration: the route tables' changes (only the routes whose result changed) and the VNIs' bindings,
     * never a reset (the CEN has no flow rules; its routes stay). BGP sessions are reconciled right after, on the
     * policy thread.
     */
    @Override
    public Reconfiguration reconfigure(JsonNode json) throws InvalidConfigException {
        CenConfig next = CenConfig.from(json);
        List<Install> installs = routes.configure(next);
        config = next;
        byVni.clear();
        next.attachments().forEach(a -> byVni.put(a.vni(), a));
        icmpBucket.rate(next.icmpErrorsPerSecond());
        reconcileSessions("configuration");
        return Reconfiguration.update(installs, List.of(), "configuration: " + installs.size() + " route changes");
    }

    // ---- misses ------------------------------------------------------------------------------------------------

    /** A packet with no route is answered with an ICMP net unreachable; other misses are dropped. */
    @Override
    public Decision onMiss(Miss miss) {
        if (config == null) {
            return drop(Drop.NOT_CONFIGURED, "not configured");
        }
        if (miss.reason() != PuntReason.NO_ROUTE) {
            return drop(Drop.NOT_ROUTED, "not a routed packet");
        }
        return icmpError(miss, IcmpErrors.TYPE_DESTINATION_UNREACHABLE, CODE_NET_UNREACHABLE, "net unreachable");
    }

    /** A routed packet whose TTL ran out: an ICMP time exceeded back to where it came from. */
    @Override
    public Decision onTtlExceeded(Miss miss) {
        if (config == null) {
            return drop(Drop.NOT_CONFIGURED, "not configured");
        }
        return icmpError(miss, IcmpErrors.TYPE_TIME_EXCEEDED, IcmpErrors.CODE_TTL_EXCEEDED, "time exceeded");
    }

    private Decision icmpError(Miss miss, int type, int code, String reason) {
        Attachment from = byVni.get(miss.key().vni());
        if (from == null) {
            return drop(Drop.UNKNOWN_VNI, "VNI " + miss.key().vni() + " is no attachment's");
        }
        if (!from.nextHop().isWired()) {
            return drop(Drop.NO_ICMP_ERROR, "no ICMP error: " + from.name() + " is not wired yet");
        }
        if (!icmpBucket.tryTake(clock.millis())) {
            return drop(Drop.ICMP_RATE_LIMITED, "ICMP rate limit");
        }
        Optional<byte[]> error = IcmpErrors.error(miss.packet(), type, code, config.routerAddress());
        if (error.isEmpty()) {
            icmpBucket.giveBack();
            return drop(Drop.NO_ICMP_ERROR, "no ICMP error about this packet");
        }
        if (type == IcmpErrors.TYPE_TIME_EXCEEDED) {
            timeExceededSent++;
        } else {
            netUnreachableSent++;
        }
        // back the way the packet came, as a packet of its flow turned around (by the pick of that, on an ingress)
        Transmit back = from.nextHop().transmit(error.get(), miss.key().reversed(miss.key().vni())).orElseThrow();
        return new Decision(List.of(back), false, reason);
    }

    private Decision drop(Drop why, String reason) {
        drops[why.ordinal()]++;
        return Decision.drop(reason);
    }

    // ---- BGP ---------------------------------------------------------------------------------------------------

    /**
     * The BGP peers the configuration wants, by router attachment: what {@link BgpSessions} runs. A peer whose
     * settings change is a new session.
     */
    public Map<String, CenConfig.Bgp> bgpPeers() {
        Map<String, CenConfig.Bgp> peers = new LinkedHashMap<>();
        if (config != null) {
            config.attachments().stream().filter(a -> a.kind() == Kind.ROUTER)
                    .forEach(a -> peers.put(a.name(), a.bgp()));
        }
        return peers;
    }

    /** The CEN's own address (its BGP identifier and next hop), 0 before the first configuration. */
    public int routerAddress() {
        return config == null ? 0 : config.routerAddress();
    }

    /**
     * Routes router attachment {@code attachment}'s peer announced and withdrew: they enter and leave the tables that
     * propagate the attachment, pointing at the attachment's next hop on its VNI. Answers the route changes; nothing
     * for an attachment the configuration no longer has.
     */
    public Reconfiguration onBgpRoutes(String attachment, List<BgpRoute> announced, List<Ipv4Prefix> withdrawn) {
        List<Install> installs = routes.bgpRoutes(attachment, announced, withdrawn);
        return Reconfiguration.update(installs, List.of(), "BGP " + attachment + ": " + announced.size()
                + " announced, " + withdrawn.size() + " withdrawn");
    }

    /** The session of {@code attachment} is established: its peer is to get every route it is to advertise. */
    public Reconfiguration onBgpEstablished(String attachment) {
        routes.bgpEstablished(attachment);
        return Reconfiguration.unchanged("BGP " + attachment + " established");
    }

    /** The session of {@code attachment} went down: every route learned from it leaves the tables. */
    public Reconfiguration onBgpDown(String attachment, String reason) {
        return Reconfiguration.update(routes.bgpDown(attachment, reason), List.of(),
                "BGP " + attachment + " down: " + reason);
    }

    /** What each router's peer is to advertise and withdraw since the last call. */
    public Map<String, Advertisements> drainAdvertisements() {
        return routes.drainAdvertisements();
    }

    /** Every prefix router attachment {@code attachment}'s peer is to advertise now. */
    public List<Ipv4Prefix> advertisedTo(String attachment) {
        return routes.advertisedTo(attachment);
    }

    /** Has the sessions brought to the configuration's peers, from the policy thread, after this call. */
    private void reconcileSessions(String reason) {
        if (context != null) {
            context.submit("BGP sessions after " + reason, policy -> {
                sessions.reconcile((CenPolicy) policy);
                return Reconfiguration.unchanged("BGP sessions reconciled");
            });
        }
    }

    // ---- indicators --------------------------------------------------------------------------------------------

    @Override
    public Map<String, Object> indicators() {
        Map<String, Object> indicators = new LinkedHashMap<>(routes.indicators());
        Map<String, Object> dropped = new LinkedHashMap<>();
        for (Drop d : Drop.values()) {
            dropped.put(d.indicator, drops[d.ordinal()]);
        }
        indicators.put("icmpNetUnreachableSent", netUnreachableSent);
        indicators.put("icmpTimeExceededSent", timeExceededSent);
        indicators.put("drops", dropped);
        return indicators;
    }

    /** The number of route table {@code name}, 0 if there is none: stable while the name stays. */
    int tableNumber(String name) {
        return routes.tableNumber(name);
    }

    /** Table {@code name}'s route for exactly {@code prefix}, as the fastpaths have it: next hops, or null. */
    List<io.isthmus.slowpath.policy.TableRoute.NextHop> route(String name, Ipv4Prefix prefix) {
        return routes.route(name, prefix);
    }
}
