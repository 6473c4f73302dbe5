package io.isthmus.vnf.cen;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.PolicyContext;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.vnf.cen.CenRoutes.Advertisements;
import io.isthmus.vnf.cen.bgp.BgpListener;
import io.isthmus.vnf.cen.bgp.BgpPeer;
import io.isthmus.vnf.cen.bgp.BgpPeerConfig;
import io.isthmus.vnf.cen.bgp.LearnedRoute;
import io.isthmus.vnf.cen.bgp.Prefix;

/**
 * The CEN's BGP sessions, one {@link BgpPeer} per router attachment, over the slowpath host's network. The policy
 * thread owns the map of sessions ({@link #reconcile} runs there); each session's blocking calls (start, advertise,
 * withdraw, close) run in order on a virtual thread of its own, so a slow peer never holds the policy thread up. A
 * session's events come back as {@link PolicyContext#submit}ted changes of the policy, and are dropped if the session
 * was replaced or closed meanwhile.
 */
final class CenBgpSessions implements BgpSessions {

    private static final System.Logger LOG = System.getLogger(CenBgpSessions.class.getName());

    private final PolicyContext context;
    /** By attachment; changed on the policy thread, and by {@link #close} (the slowpath stopping). */
    private final Map<String, Session> sessions = new HashMap<>();
    private boolean closed;

    CenBgpSessions(PolicyContext context) {
        this.context = context;
    }

    @Override
    public synchronized void reconcile(CenPolicy policy) {
        if (closed) {
            // a change submitted before the slowpath stopped starts nothing after
            return;
        }
        Map<String, CenConfig.Bgp> wanted = policy.bgpPeers();
        int routerAddress = policy.routerAddress();
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext();) {
            Session s = it.next();
            if (!s.settings.equals(wanted.get(s.attachment)) || s.routerAddress != routerAddress) {
                it.remove();
                s.close();
            }
        }
        wanted.forEach((attachment, settings) -> {
            if (!sessions.containsKey(attachment)) {
                Session s = new Session(attachment, settings, routerAddress);
                sessions.put(attachment, s);
                s.start(policy.advertisedTo(attachment));
            }
        });
        Map<String, Advertisements> changes = policy.drainAdvertisements();
        changes.forEach((attachment, change) -> {
            Session s = sessions.get(attachment);
            if (s != null) {
                s.tell(change);
            }
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        sessions.values().forEach(Session::close);
        sessions.clear();
    }

    /** The session's settings for the BGP speaker: the CEN's address is its identifier and next hop. */
    static BgpPeerConfig peerConfig(CenConfig.Bgp bgp, int routerAddress) {
        return new BgpPeerConfig((int) bgp.localAs(), routerAddress,
                bgp.localAddress() == 0 ? null : Ipv4Addresses.format(bgp.localAddress()), (int) bgp.peerAs(),
                Ipv4Addresses.format(bgp.peerAddress()), bgp.port(), bgp.holdTime(), routerAddress);
    }

    static BgpRoute route(LearnedRoute learned) {
        return new BgpRoute(prefix(learned.prefix()), learned.localPref(), learned.asPath().size(), learned.origin(),
                learned.med());
    }

    static Ipv4Prefix prefix(Prefix prefix) {
        return new Ipv4Prefix(prefix.address(), prefix.length());
    }

    static List<Prefix> prefixes(List<Ipv4Prefix> prefixes) {
        List<Prefix> out = new ArrayList<>(prefixes.size());
        prefixes.forEach(p -> out.add(new Prefix(p.address(), p.length())));
        return out;
    }

    /** One router attachment's session and the listener of its events. */
    private final class Session implements BgpListener {
        final String attachment;
        final CenConfig.Bgp settings;
        final int routerAddress;
        final BgpPeer peer;
        final ExecutorService io;

        Session(String attachment, CenConfig.Bgp settings, int routerAddress) {
            this.attachment = attachment;
            this.settings = settings;
            this.routerAddress = routerAddress;
            this.peer = new BgpPeer(peerConfig(settings, routerAddress), this);
            this.io = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("bgp-" + attachment).factory());
        }

        void start(List<Ipv4Prefix> advertised) {
            io.execute(() -> {
                try {
                    // what the peer kept is sent on every session it establishes
                    peer.advertise(prefixes(advertised));
                    peer.start();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "BGP session of " + attachment + " did not start: " + e.getMessage());
                }
            });
        }

        void tell(Advertisements change) {
            io.execute(() -> {
                peer.withdraw(prefixes(change.withdraw()));
                peer.advertise(prefixes(change.advertise()));
            });
        }

        void close() {
            io.execute(peer::close);
            io.shutdown();
        }

        /** Whether this is still the session of its attachment: on the policy thread, so consistent with reconcile. */
        boolean current() {
            synchronized (CenBgpSessions.this) {
                return sessions.get(attachment) == this;
            }
        }

        @Override
        public void onEstablished(BgpPeer from) {
            context.submit("BGP " + attachment + " established", p -> current()
                    ? ((CenPolicy) p).onBgpEstablished(attachment)
                    : Reconfiguration.unchanged("BGP session replaced"));
        }

        @Override
        public void onRoutes(BgpPeer from, List<LearnedRoute> announced, List<Prefix> withdrawn) {
            // converted on the session's thread, not the policy's
            List<BgpRoute> routes = new ArrayList<>(announced.size());
            announced.forEach(r -> routes.add(route(r)));
            List<Ipv4Prefix> gone = new ArrayList<>(withdrawn.size());
            withdrawn.forEach(w -> gone.add(prefix(w)));
            context.submit("BGP " + attachment + " update", p -> {
                if (!current()) {
                    return Reconfiguration.unchanged("BGP session replaced");
                }
                CenPolicy policy = (CenPolicy) p;
                Reconfiguration changes = policy.onBgpRoutes(attachment, routes, gone);
                reconcile(policy);
                return changes;
            });
        }

        @Override
        public void onDown(BgpPeer from, String reason) {
            context.submit("BGP " + attachment + " down", p -> {
                if (!current()) {
                    return Reconfiguration.unchanged("BGP session replaced");
                }
                CenPolicy policy = (CenPolicy) p;
                Reconfiguration changes = policy.onBgpDown(attachment, reason);
                reconcile(policy);
                return changes;
            });
        }
    }
}
