package io.isthmus.vnf.vpn.ike;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The same initiator (this engine, over UDP) setting up IKE_SA + CHILD_SA (ECP-256, AES-GCM-128) with strongSwan's
 * charon in the {@code hike-office} namespace, then with this engine as responder on a loopback address: the
 * establishments per second each responder answers. Needs root and strongSwan. Run: {@code java -cp ...
 * io.isthmus.vnf.vpn.ike.IkeCharonBenchmark [establishments] [concurrency]}.
 */
public final class IkeCharonBenchmark {

    private static final String IKE = "aes128gcm16-prfsha256-ecp256";
    private static final String ESP = "aes128gcm16";

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        if (!CharonLab.available()) {
            System.out.println("needs root and strongSwan");
            return;
        }
        double charonRate;
        try (CharonLab charon = new CharonLab(-1)) {
            charon.load("""
                    connections {
                      bench {
                        version = 2
                        local_addrs = %s
                        proposals = %s
                        mobike = no
                        local {
                          auth = psk
                          id = responder.example
                        }
                        remote {
                          auth = psk
                        }
                        children {
                          bench {
                            local_ts = 10.213.1.0/24
                            remote_ts = 10.100.0.0/16
                            esp_proposals = %s
                          }
                        }
                      }
                    }
                    secrets {
                      ike-any {
                        secret = "benchmark key"
                      }
                    }
                    """.formatted(CharonLab.THERE, IKE, ESP));
            charonRate = measure(CharonLab.HERE, CharonLab.THERE, total / 5, concurrency); // warm-up
            charonRate = measure(CharonLab.HERE, CharonLab.THERE, total, concurrency);
        }
        double engineRate;
        try (UdpIkeTransport responder = new UdpIkeTransport("127.0.0.2")) {
            responder.run(e -> e.configure(List.of(new IkeConnection("bench", new Endpoint(
                    Endpoint.parseAddress("127.0.0.2"), 500), new Endpoint(0, 500),
                    "benchmark key".getBytes(StandardCharsets.UTF_8), "responder.example", null,
                    List.of(TrafficSelector.prefix(Endpoint.parseAddress("10.213.1.0"), 24)),
                    List.of(TrafficSelector.prefix(0, 0)), List.of(IKE), List.of(ESP), false, 0, 0, 0, 0)),
                    System.currentTimeMillis()));
            engineRate = measure("127.0.0.1", "127.0.0.2", total / 5, concurrency);
            engineRate = measure("127.0.0.1", "127.0.0.2", total, concurrency);
        }
        System.out.printf("IKE_SA+CHILD_SA establishments/s answered, same initiator (%d at a time, %s, ESP %s):%n",
                concurrency, IKE, ESP);
        System.out.printf("  strongSwan charon 5.9.8 (kernel-libipsec): %.0f/s%n", charonRate);
        System.out.printf("  this engine (UDP on loopback):             %.0f/s  (%.2f x charon)%n", engineRate,
                engineRate / charonRate);
    }

    /** Sets up {@code total} IKE SAs from one initiator engine at {@code local} to {@code peer}; returns per second. */
    private static double measure(String local, String peer, int total, int concurrency) throws Exception {
        try (UdpIkeTransport initiator = new UdpIkeTransport(local)) {
            List<IkeConnection> connections = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                int inner = Endpoint.parseAddress("10.100.0.0") + i;
                connections.add(new IkeConnection("c" + i, new Endpoint(Endpoint.parseAddress(local), 500),
                        new Endpoint(Endpoint.parseAddress(peer), 500),
                        "benchmark key".getBytes(StandardCharsets.UTF_8),
                        "office-" + i + ".example", "responder.example", List.of(TrafficSelector.prefix(inner, 32)),
                        List.of(TrafficSelector.prefix(Endpoint.parseAddress("10.213.1.0"), 24)), List.of(IKE),
                        List.of(ESP), false, 0, 0, 0, 0));
            }
            initiator.run(e -> e.configure(connections, System.currentTimeMillis()));
            long start = System.nanoTime();
            int started = 0;
            long deadline = start + 120_000_000_000L;
            while (true) {
                long up = initiator.events.stream().filter(e -> e.kind().equals("up")).count();
                long failed = initiator.events.stream().filter(e -> e.kind().equals("FAILED")
                        || e.detail().startsWith("no CHILD_SA")).count();
                if (up + failed >= total || System.nanoTime() > deadline) {
                    if (failed > 0) {
                        System.out.println("  (" + failed + " failed)");
                    }
                    return up / ((System.nanoTime() - start) / 1e9);
                }
                while (started < total && started - up - failed < concurrency) {
                    String name = "c" + started++;
                    initiator.run(e -> e.initiate(name, System.currentTimeMillis()));
                }
                LockSupport.parkNanos(200_000);
            }
        }
    }
}
