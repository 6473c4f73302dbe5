package io.isthmus.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.ingress.RendezvousIngress;

/**
 * UDP flows from the VPC through a NAT VNF (VnfLifecycleEndToEndIT, LifecycleBenchmark): each flow, every 20 ms, to the
 * fastpath the rendezvous hash of its inner 5-tuple picks among the VNF's published ingress (read every
 * {@code followMillis}, as a vSwitch would). Each packet carries the phase it was sent in ({@link #phase(int)}), so
 * that the packets lost are counted per phase whatever is in flight at its ends. Probes to one given fastpath
 * ({@link #probe}) carry a round number; the receiver notes when the first of each round came out.
 */
public final class FlowStream implements AutoCloseable {

    public static final int INSIDE_VNI = 100;
    public static final int OUTSIDE_VNI = 200;
    public static final int CLIENT_IP = Frames.ip("10.0.0.5");
    public static final int SERVER_IP = Frames.ip("198.51.100.7");
    public static final int MAX_PHASES = 4096;
    private static final long PERIOD_NANOS = 20_000_000L;

    private final int flows;
    private final Supplier<JsonNode> instance;
    private final long followNanos;
    private final DatagramSocket client;
    private final DatagramSocket outside;
    private final AtomicLongArray sent = new AtomicLongArray(MAX_PHASES);
    private final AtomicLongArray received = new AtomicLongArray(MAX_PHASES);
    private final AtomicLongArray firstProbe = new AtomicLongArray(MAX_PHASES);
    private final Map<Integer, Set<Integer>> publicPorts = new ConcurrentHashMap<>();
    /** Per flow: packets received, and the fastpaths (vnfcIds) its packets were sent to. */
    private final AtomicLongArray flowReceived;
    private final Map<Integer, Set<String>> fastpathsUsed = new ConcurrentHashMap<>();
    /** Per flow: the sequence numbers (rounds) received; per phase: its first round + 1 (0 until it began). */
    private final BitSet[] roundsReceived;
    private final AtomicLongArray firstRound = new AtomicLongArray(MAX_PHASES);
    private volatile long lastRound = -1;
    private final List<Thread> threads = new ArrayList<>();
    private volatile Map<String, Integer> endpoints = Map.of();
    private volatile int phase;
    private volatile boolean running = true;
    private volatile boolean receiving = true;

    public FlowStream(Supplier<JsonNode> instance, int flows, long followMillis, DatagramSocket outside)
            throws IOException {
        this.instance = instance;
        this.flows = flows;
        this.flowReceived = new AtomicLongArray(flows);
        this.roundsReceived = new BitSet[flows];
        for (int i = 0; i < flows; i++) {
            roundsReceived[i] = new BitSet();
        }
        this.followNanos = followMillis * 1_000_000L;
        this.outside = outside;
        this.client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        endpoints = ingress(instance.get());
        threads.add(Thread.ofPlatform().name("ingress").start(this::follow));
        threads.add(Thread.ofPlatform().name("sender").start(this::send));
        threads.add(Thread.ofPlatform().name("receiver").start(this::receive));
    }

    /** The published ingress of a VNF instance: vnfcId → data port on 127.0.0.1. */
    public static Map<String, Integer> ingress(JsonNode vnf) {
        Map<String, Integer> now = new LinkedHashMap<>();
        for (JsonNode e : vnf.path("instantiatedVnfInfo").path("extCpInfo").path(0).path("metadata").path("ingress")
                .path("endpoints")) {
            String address = e.path("address").asText();
            now.put(e.path("vnfcId").asText(), Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
        }
        return now;
    }

    /** The packets sent from now on count in phase {@code p} (0 ≤ p < {@link #MAX_PHASES}). */
    public void phase(int p) {
        phase = p;
    }

    public long sent(int p) {
        return sent.get(p);
    }

    public long received(int p) {
        return received.get(p);
    }

    /** When (System.nanoTime) the first probe of round {@code r} came out of the NAT; 0 until then. */
    public long firstProbe(int r) {
        return firstProbe.get(r);
    }

    /** Flows that were seen on more than one public port: a NAT that kept every flow's binding has none. */
    public long flowsThatChangedPort() {
        return publicPorts.values().stream().filter(s -> s.size() > 1).count();
    }

    /** Flows that came out of the NAT at all. */
    public int flowsSeen() {
        return publicPorts.size();
    }

    /** Flows whose packets were sent to {@code vnfcId} at some point (the hash moved them there). */
    public long flowsSentTo(String vnfcId) {
        return fastpathsUsed.values().stream().filter(s -> s.contains(vnfcId)).count();
    }

    /**
     * The most consecutive rounds any one flow lost among the rounds sent in phase {@code p} (call after
     * {@link #close()}, or after the phase ended and its packets arrived): a flow whose packets stopped for a second
     * shows 50.
     */
    public int longestGap(int p) {
        long from = firstRound.get(p) - 1;
        if (from < 0) {
            return 0;
        }
        long to = lastRound;
        for (int q = p + 1; q < MAX_PHASES; q++) {
            if (firstRound.get(q) > 0 && firstRound.get(q) - 1 > from) {
                to = Math.min(to, firstRound.get(q) - 2);
            }
        }
        int longest = 0;
        for (BitSet rounds : roundsReceived) {
            synchronized (rounds) {
                int run = 0;
                for (long r = from; r <= to; r++) {
                    run = rounds.get((int) r) ? 0 : run + 1;
                    longest = Math.max(longest, run);
                }
            }
        }
        return longest;
    }

    /** Packets received of each flow so far. */
    public long[] receivedPerFlow() {
        long[] r = new long[flows];
        for (int i = 0; i < flows; i++) {
            r[i] = flowReceived.get(i);
        }
        return r;
    }

    /** Whether every flow had {@code more} packets through since {@code since} ({@link #receivedPerFlow()}). */
    public boolean progressed(long[] since, int more) {
        for (int i = 0; i < flows; i++) {
            if (flowReceived.get(i) < since[i] + more) {
                return false;
            }
        }
        return true;
    }

    /** One probe of round {@code r}: a flow of its own, to the fastpath on {@code dataPort}. */
    public void probe(int r, int dataPort, long n) throws IOException {
        byte[] frame = Frames.vxlanUdp(INSIDE_VNI, CLIENT_IP, 40000 + r, SERVER_IP, 53,
                ("probe " + r + " " + n).getBytes(StandardCharsets.UTF_8));
        client.send(new DatagramPacket(frame, frame.length, InetAddress.getLoopbackAddress(), dataPort));
    }

    private void follow() {
        while (running) {
            try {
                endpoints = ingress(instance.get());
            } catch (RuntimeException e) {
                // keep the last ingress
            }
            LockSupport.parkNanos(followNanos);
        }
    }

    private void send() {
        long seq = 0;
        long next = System.nanoTime();
        while (running) {
            Map<String, Integer> now = endpoints;
            if (!now.isEmpty()) {
                RendezvousIngress hash = RendezvousIngress.of(now.keySet());
                int p = phase;
                firstRound.compareAndSet(p, 0, seq + 1);
                for (int i = 0; i < flows; i++) {
                    String vnfc = hash.pick(CLIENT_IP, SERVER_IP, 17, 6000 + i, 53);
                    byte[] frame = Frames.vxlanUdp(INSIDE_VNI, CLIENT_IP, 6000 + i, SERVER_IP, 53,
                            ("flow " + i + " " + seq + " " + p).getBytes(StandardCharsets.UTF_8));
                    try {
                        client.send(new DatagramPacket(frame, frame.length, InetAddress.getLoopbackAddress(),
                                now.get(vnfc)));
                        sent.incrementAndGet(p);
                        fastpathsUsed.computeIfAbsent(i, k -> ConcurrentHashMap.newKeySet()).add(vnfc);
                    } catch (IOException e) {
                        // the socket closed at the end
                    }
                }
                lastRound = seq;
                seq++;
            }
            next += PERIOD_NANOS;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
    }

    private void receive() {
        byte[] buf = new byte[2048];
        try {
            outside.setSoTimeout(200);
            outside.setReceiveBufferSize(4 << 20);
        } catch (IOException e) {
            return;
        }
        while (receiving) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                outside.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            long at = System.nanoTime();
            Frames.Packet packet = Frames.parse(buf, p.getLength());
            String[] words = new String(packet.payload(), StandardCharsets.UTF_8).split(" ");
            if (words.length == 4 && words[0].equals("flow")) {
                received.incrementAndGet(Integer.parseInt(words[3]));
                int flow = Integer.parseInt(words[1]);
                flowReceived.incrementAndGet(flow);
                synchronized (roundsReceived[flow]) {
                    roundsReceived[flow].set(Integer.parseInt(words[2]));
                }
                publicPorts.computeIfAbsent(Integer.parseInt(words[1]), k -> ConcurrentHashMap.newKeySet())
                        .add(packet.srcPort());
            } else if (words.length == 3 && words[0].equals("probe")) {
                firstProbe.compareAndSet(Integer.parseInt(words[1]), 0, at);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        threads.get(0).join(5000);
        threads.get(1).join(5000);
        // what is in flight arrives
        LockSupport.parkNanos(500_000_000L);
        receiving = false;
        client.close();
        threads.get(2).join(5000);
    }
}
