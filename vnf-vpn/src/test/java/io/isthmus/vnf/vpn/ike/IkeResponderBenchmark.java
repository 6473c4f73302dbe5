package io.isthmus.vnf.vpn.ike;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * IKE_SA + CHILD_SA establishments per second that one responder engine answers on one thread, with ECP-256 and
 * AES-GCM-128: {@code concurrency} initiator engines in the same process keep setting up SAs with it, over an
 * in-memory wire. Prints the responder's own rate (time spent in its {@code receive}) and the rate of the whole
 * exchange (both sides on this thread). Run: {@code java -cp ... io.isthmus.vnf.vpn.ike.IkeResponderBenchmark
 * [establishments] [concurrency]}.
 */
public final class IkeResponderBenchmark {

    private static final String IKE = "aes128gcm16-prfsha256-ecp256";
    private static final String ESP = "aes128gcm16";
    private static final int RESPONDER = Endpoint.parseAddress("10.213.0.1");

    private record Datagram(Endpoint local, Endpoint remote, byte[] payload) {
    }

    private final ArrayDeque<Datagram> toResponder = new ArrayDeque<>();
    private final ArrayDeque<Datagram> toInitiators = new ArrayDeque<>();
    private final Map<Integer, IkeEngine> initiators = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final IkeEngine responder;
    private long responderNanos;
    private int established;
    private int nextAddress = Endpoint.parseAddress("10.100.0.1");

    private IkeResponderBenchmark() {
        responder = new IkeEngine(new Quiet() {
            @Override
            public void send(Endpoint local, Endpoint remote, byte[] udpPayload) {
                toInitiators.add(new Datagram(local, remote, udpPayload));
            }
        }, random);
        responder.configure(List.of(new IkeConnection("bench", new Endpoint(RESPONDER, 500), new Endpoint(0, 500),
                "benchmark key".getBytes(StandardCharsets.UTF_8), "responder.example", null,
                List.of(TrafficSelector.prefix(Endpoint.parseAddress("10.2.0.0"), 16)),
                List.of(TrafficSelector.prefix(0, 0)), List.of(IKE), List.of(ESP), false, 0, 0, 0, 0)), 0);
    }

    public static void main(String[] args) {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 4_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        IkeResponderBenchmark warmUp = new IkeResponderBenchmark();
        warmUp.run(Math.max(500, total / 4), concurrency);
        IkeResponderBenchmark bench = new IkeResponderBenchmark();
        long start = System.nanoTime();
        bench.run(total, concurrency);
        long wall = System.nanoTime() - start;
        System.out.printf("IKE responder (%s, ESP %s): %d IKE_SA+CHILD_SA, %d initiators at a time%n", IKE, ESP,
                bench.established, concurrency);
        System.out.printf("  responder alone: %.0f establishments/s on one thread (%.1f us each)%n",
                bench.established / (bench.responderNanos / 1e9), bench.responderNanos / 1e3 / bench.established);
        System.out.printf("  whole exchange, both sides on this thread: %.0f establishments/s%n",
                bench.established / (wall / 1e9));
        System.out.printf("  responder holds %d IKE SAs%n", bench.responder.ikeSas().size());
    }

    private void run(int total, int concurrency) {
        int started = 0;
        while (established < total) {
            while (initiators.size() < concurrency && started < total) {
                startInitiator();
                started++;
            }
            while (!toResponder.isEmpty()) {
                Datagram d = toResponder.poll();
                long t0 = System.nanoTime();
                responder.receive(d.remote(), d.local(), d.payload(), 0, d.payload().length, 0);
                responderNanos += System.nanoTime() - t0;
            }
            while (!toInitiators.isEmpty()) {
                Datagram d = toInitiators.poll();
                IkeEngine initiator = initiators.get(d.remote().address());
                if (initiator != null) {
                    initiator.receive(d.remote(), d.local(), d.payload(), 0, d.payload().length, 0);
                }
            }
            if (toResponder.isEmpty() && toInitiators.isEmpty() && initiators.size() == concurrency) {
                throw new IllegalStateException("stalled with " + established + " established");
            }
        }
    }

    private void startInitiator() {
        int address = nextAddress++;
        IkeEngine[] self = new IkeEngine[1];
        self[0] = new IkeEngine(new Quiet() {
            @Override
            public void send(Endpoint local, Endpoint remote, byte[] udpPayload) {
                toResponder.add(new Datagram(local, remote, udpPayload));
            }

            @Override
            public void childSaUp(ChildSa sa) {
                established++;
                initiators.remove(address);
            }
        }, random);
        initiators.put(address, self[0]);
        self[0].configure(List.of(new IkeConnection("office", new Endpoint(address, 500),
                new Endpoint(RESPONDER, 500), "benchmark key".getBytes(StandardCharsets.UTF_8),
                "office-" + address + ".example", "responder.example",
                List.of(TrafficSelector.prefix(address, 32)),
                List.of(TrafficSelector.prefix(Endpoint.parseAddress("10.2.0.0"), 16)), List.of(IKE), List.of(ESP),
                true, 0, 0, 0, 0)), 0);
    }

    private abstract static class Quiet implements IkeEngine.Output {
        @Override
        public void childSaUp(ChildSa sa) {
        }

        @Override
        public void childSaRekeyed(ChildSa old, ChildSa replacement) {
        }

        @Override
        public void childSaDown(ChildSa sa, String reason) {
        }

        @Override
        public void ikeSaState(String connection, String state, String reason) {
        }
    }
}
