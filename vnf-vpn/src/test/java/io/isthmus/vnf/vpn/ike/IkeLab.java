package io.isthmus.vnf.vpn.ike;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Two engines wired to each other in memory, with a manual clock, a lossy wire and an optional NAT in front of A. */
final class IkeLab {

    static final int A_ADDRESS = Endpoint.parseAddress("198.51.100.1");
    static final int B_ADDRESS = Endpoint.parseAddress("198.51.100.2");
    static final int NAT_ADDRESS = Endpoint.parseAddress("203.0.113.9");

    record Datagram(Side from, Endpoint local, Endpoint remote, byte[] payload) {
    }

    /** One engine and everything it told its {@link IkeEngine.Output}. */
    final class Side implements IkeEngine.Output {
        final String name;
        final int address;
        final IkeEngine engine;
        final List<String> states = new ArrayList<>();
        final List<ChildSa> up = new ArrayList<>();
        final List<ChildSa[]> rekeyed = new ArrayList<>();
        final List<ChildSa> down = new ArrayList<>();
        final List<ChildSa> retired = new ArrayList<>();
        int sent;

        Side(String name, int address) {
            this.name = name;
            this.address = address;
            this.engine = new IkeEngine(this, new SecureRandom());
        }

        @Override
        public void send(Endpoint local, Endpoint remote, byte[] udpPayload) {
            sent++;
            wire.add(new Datagram(this, local, remote, udpPayload));
        }

        @Override
        public void childSaUp(ChildSa sa) {
            up.add(sa);
        }

        @Override
        public void childSaRekeyed(ChildSa old, ChildSa replacement) {
            rekeyed.add(new ChildSa[]{old, replacement});
        }

        @Override
        public void childSaDown(ChildSa sa, String reason) {
            down.add(sa);
        }

        @Override
        public void ikeSaState(String connection, String state, String reason) {
            states.add(state + (reason.isEmpty() ? "" : ": " + reason));
        }

        @Override
        public void childSaRetired(ChildSa old) {
            retired.add(old);
        }

        String lastState() {
            return states.isEmpty() ? "" : states.getLast();
        }

        /** The CHILD_SAs live now: up or the replacement of a rekey, minus those down or retired. */
        List<ChildSa> liveChildren() {
            List<ChildSa> live = new ArrayList<>(up);
            for (ChildSa[] r : rekeyed) {
                live.add(r[1]);
            }
            live.removeIf(c -> down.stream().anyMatch(d -> d.childId() == c.childId()));
            live.removeIf(c -> retired.stream().anyMatch(d -> d.childId() == c.childId()));
            live.removeIf(c -> rekeyed.stream().anyMatch(r -> r[0].childId() == c.childId()));
            return live;
        }
    }

    final Deque<Datagram> wire = new ArrayDeque<>();
    final Side a = new Side("a", A_ADDRESS);
    final Side b = new Side("b", B_ADDRESS);
    long now = 1_000_000;
    boolean natInFrontOfA;
    Predicate<Datagram> drop = d -> false;
    int delivered;

    /** Delivers what is on the wire (and what the answers put there) until it is empty. */
    void deliver() {
        int guard = 0;
        while (!wire.isEmpty() && guard++ < 10_000) {
            Datagram d = wire.poll();
            if (drop.test(d)) {
                continue;
            }
            Endpoint source = d.local();
            Endpoint destination = d.remote();
            if (natInFrontOfA && d.from() == a) {
                source = new Endpoint(NAT_ADDRESS, source.port() + 40_000);
            }
            if (natInFrontOfA && destination.address() == NAT_ADDRESS) {
                destination = new Endpoint(A_ADDRESS, destination.port() - 40_000);
            }
            Side to = destination.address() == A_ADDRESS ? a : destination.address() == B_ADDRESS ? b : null;
            if (to == null) {
                continue;
            }
            delivered++;
            to.engine.receive(destination, source, d.payload(), 0, d.payload().length, now);
        }
    }

    /** Advances the clock, firing both engines' timers when due and delivering, until the condition holds. */
    boolean runUntil(BooleanSupplier condition, long maxMillis) {
        long end = now + maxMillis;
        deliver();
        int steps = 0;
        while (!condition.getAsBoolean()) {
            if (++steps > 100_000) {
                throw new IllegalStateException("the engines' timers never settle (a timer due in the past?)");
            }
            long next = Math.min(a.engine.nextTimerMillis(), b.engine.nextTimerMillis());
            if (next > end) {
                now = end;
                return condition.getAsBoolean();
            }
            now = Math.max(now, next);
            a.engine.onTimer(now);
            b.engine.onTimer(now);
            deliver();
        }
        return true;
    }

    static IkeConnection connection(String name, int local, int peer, String psk, String localNet, String remoteNet,
            List<String> ike, List<String> esp, boolean initiator) {
        return new IkeConnection(name, new Endpoint(local, 500), new Endpoint(peer, 500),
                psk.getBytes(java.nio.charset.StandardCharsets.UTF_8), null, null, List.of(prefix(localNet)),
                List.of(prefix(remoteNet)), ike, esp, initiator, 0, 0, 0, 0);
    }

    static IkeConnection with(IkeConnection c, long ikeRekey, long childRekey, long childBytes, long dpd) {
        return new IkeConnection(c.name(), c.local(), c.peer(), c.psk(), c.localId(), c.remoteId(),
                c.localSelectors(), c.remoteSelectors(), c.ikeProposals(), c.espProposals(), c.initiator(), ikeRekey,
                childRekey, childBytes, dpd);
    }

    static TrafficSelector prefix(String cidr) {
        String[] parts = cidr.split("/");
        return TrafficSelector.prefix(Endpoint.parseAddress(parts[0]), Integer.parseInt(parts[1]));
    }
}
