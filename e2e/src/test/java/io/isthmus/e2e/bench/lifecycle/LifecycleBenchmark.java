package io.isthmus.e2e.bench.lifecycle;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.e2e.Catalog;
import io.isthmus.e2e.FlowStream;
import io.isthmus.e2e.Frames;
import io.isthmus.e2e.Platform;
import io.isthmus.vnf.catalog.PackagedCsars;

/**
 * Issue 10's lifecycle figures against the real nfvo, vnfm and vim ({@link Platform}, databases
 * {@code <service>_<suffix>}, never the e2e tests' {@code _e2e}):
 * <ol>
 * <li><b>instantiate</b>: an NS of one NAT VNF instantiated with the local VIM, POST instantiate → the NS LCM
 * operation COMPLETED, N in a row (each terminated and deleted after);</li>
 * <li><b>scale</b>: a NAT VNF on the vnfm (SOL003) scaled out by one fastpath, POST scale → the operation COMPLETED
 * and → the first packet through the new fastpath, then scaled in again, R rounds, under a steady stream of UDP
 * flows whose losses are counted per phase;</li>
 * <li><b>chain</b>: an NS of three NAT VNFs chained by two virtual links (issue 14), POST instantiate → COMPLETED
 * (every VNF instantiated and wired) and → the first packet sent into the first NAT's ingress out of the last NAT,
 * N in a row;</li>
 * <li><b>api</b>: the vnfm's LCM API with 10,000 VNF instances in its database: creates, gets, filtered lists and
 * operation occurrence polls mixed, from concurrent virtual users, flat out and then paced at the goal's rate.</li>
 * </ol>
 * Prints {@code RESULT <name> <value> <unit>} lines, writes a Markdown section with {@code --markdown}. Figures are
 * printed, never asserted.
 */
public final class LifecycleBenchmark {

    static final String USAGE = "usage: LifecycleBenchmark [--only instantiate,scale,chain,api] [--instantiations 50]"
            + " [--chain-instantiations 20]"
            + " [--scale-rounds 20] [--instances 10000] [--users 16] [--seconds 30] [--rate 200]"
            + " [--fill-seconds 240] [--suffix bench] [--dir <logs>] [--markdown <file>]"
            + " | --from-log <output>[,<output>...] --markdown <file>";
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    final Map<String, String> args;
    final Api api = new Api();
    final Platform platform;
    final Map<String, String> results = new LinkedHashMap<>();
    final Map<String, String> measuredAt = new LinkedHashMap<>();
    final List<String> lines = new ArrayList<>();
    String nfvo;
    String vnfm;

    LifecycleBenchmark(Map<String, String> args) {
        this.args = args;
        Path dir = Path.of(args.getOrDefault("dir", "e2e/target/lifecycle-bench"));
        // full JIT, as ./nfv up runs them; a heap that 10,000 instances and 16 connections do not press
        this.platform = new Platform(args.getOrDefault("suffix", "bench"), dir.resolve("logs"), List.of("-Xmx512m"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --name value at " + argv[i] + "\n" + USAGE);
            }
            args.put(argv[i].substring(2), argv[++i]);
        }
        LifecycleBenchmark bench = new LifecycleBenchmark(args);
        if (args.containsKey("from-log")) {
            // the Markdown section again from the output of earlier runs (one or more, the later ones win)
            for (String log : args.get("from-log").split(",")) {
                bench.replay(Files.readAllLines(Path.of(log)));
            }
            Files.writeString(Path.of(args.getOrDefault("markdown", "/dev/stdout")), Markdown.section(bench),
                    StandardCharsets.UTF_8);
            return;
        }
        int rc = bench.run();
        System.exit(rc);
    }

    int run() throws Exception {
        Set<String> only = Set.of(args.getOrDefault("only", "instantiate,scale,api").split(","));
        info("BENCH lifecycle: starting the nfvo, vnfm and vim (databases *_" + args.getOrDefault("suffix", "bench")
                + ", logs " + platform.logs + "); " + load());
        platform.start();
        int rc = 0;
        try {
            nfvo = platform.url("nfvo");
            vnfm = platform.url("vnfm");
            setUp();
            if (only.contains("instantiate")) {
                rc |= guarded("instantiate", this::instantiations);
            }
            if (only.contains("scale")) {
                rc |= guarded("scale", this::scaling);
            }
            if (only.contains("chain")) {
                rc |= guarded("chain", this::chains);
            }
            if (only.contains("api")) {
                rc |= guarded("api", () -> new ApiThroughput(this).run());
            }
        } finally {
            try {
                platform.close();
            } catch (AssertionError e) {
                info("WARN the services logged problems: " + e.getMessage());
            }
        }
        try {
            StepTimes.summary(platform.logs.resolve("vnfm.log")).forEach(this::info);
        } catch (IOException | RuntimeException e) {
            info("WARN no step times from the vnfm's log: " + e);
        }
        if (args.containsKey("markdown")) {
            Files.writeString(Path.of(args.get("markdown")), Markdown.section(this), StandardCharsets.UTF_8);
        }
        return rc;
    }

    interface Part {
        void run() throws Exception;
    }

    private int guarded(String name, Part part) {
        try {
            part.run();
            return 0;
        } catch (Exception | AssertionError e) {
            info("FAILED " + name + ": " + e);
            e.printStackTrace(System.out);
            return 1;
        }
    }

    /** Takes the RESULT, INFO and BENCH lines of an earlier run's output as if this run had printed them. */
    void replay(List<String> output) {
        for (String line : output) {
            String[] f = line.split(" ");
            if (f[0].equals("RESULT") && f.length >= 4) {
                results.put(f[1], f[2] + " " + line.substring(line.indexOf(f[2]) + f[2].length() + 1));
            } else if (f[0].equals("INFO") && f.length > 3 && f[2].equals("measured")) {
                measuredAt.put(f[1], line.substring(line.indexOf(" measured ") + " measured ".length()));
            }
            lines.add(line);
        }
    }

    /** The tenant's quota wide enough, and the NAT package on-boarded (as the operator). */
    void setUp() {
        String vim = platform.url("vim");
        api.send("oscar", "PUT", vim + "/vim/v1/quotas/acme", Map.of("vcpusLimit", 16, "memoryMbLimit", 32768))
                .expect(200, "quota of acme");
        String pkgId = api.post("oscar", nfvo + "/vnfpkgm/v2/vnf_packages", Map.of()).expect(201, "package")
                .body().path("id").asText();
        api.put("oscar", nfvo + "/vnfpkgm/v2/vnf_packages/" + pkgId + "/package_content", "application/zip",
                PackagedCsars.load("vnf-nat")).expect(202, "package content");
    }

    // ---------------------------------------------------------------- 1. NS instantiate → COMPLETED

    void instantiations() throws IOException {
        int n = Integer.parseInt(args.getOrDefault("instantiations", "50"));
        String nsdInfoId = api.post("alice", nfvo + "/nsd/v2/ns_descriptors", Map.of()).expect(201, "NSD").body()
                .path("id").asText();
        api.put("alice", nfvo + "/nsd/v2/ns_descriptors/" + nsdInfoId + "/nsd_content", "text/plain",
                Catalog.natNsd("bench-nat", "Bench NAT")
                        .getBytes(StandardCharsets.UTF_8))
                .expect(202, "NSD content");
        Latencies instantiate = new Latencies();
        Latencies terminate = new Latencies();
        Latencies cold = new Latencies();
        try (DatagramSocket outside = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket inside = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Map<String, Object> natConfig = Map.of("publicAddress", "203.0.113.10", "portRangeStart", 20000,
                    "portRangeEnd", 20999, "insideVni", FlowStream.INSIDE_VNI, "outsideVni", FlowStream.OUTSIDE_VNI);
            Map<String, Object> endpoints = Map.of("vpc", "127.0.0.1:" + inside.getLocalPort(), "internet",
                    "127.0.0.1:" + outside.getLocalPort());
            Map<String, Object> request = Map.of("nsFlavourId", "default", "additionalParamsForNs",
                    Map.of("endpoints", endpoints), "additionalParamsForVnf",
                    List.of(Map.of("vnfProfileId", "nat", "additionalParams", natConfig)));
            // the first ones after the services' start run cold (class loading, JIT): counted apart
            int warmup = Integer.parseInt(args.getOrDefault("warmup", "3"));
            for (int i = -warmup; i < n; i++) {
                String nsId = api.post("alice", nfvo + "/nslcm/v2/ns_instances",
                        Map.of("nsdId", "bench-nat", "nsName", "bench-" + i, "nsDescription", "benchmark NS"))
                        .expect(201, "NS instance").body().path("id").asText();
                long t0 = System.nanoTime();
                String op = api.post("alice", nfvo + "/nslcm/v2/ns_instances/" + nsId + "/instantiate", request)
                        .expect(202, "instantiate").location();
                awaitOp(nfvo, op, "COMPLETED", 20);
                long took = System.nanoTime() - t0;
                long t1 = System.nanoTime();
                awaitOp(nfvo, api.post("alice", nfvo + "/nslcm/v2/ns_instances/" + nsId + "/terminate", Map.of())
                        .expect(202, "terminate").location(), "COMPLETED", 20);
                if (i >= 0) {
                    instantiate.add(took);
                    terminate.add(System.nanoTime() - t1);
                } else {
                    cold.add(took);
                }
                api.delete("alice", nfvo + "/nslcm/v2/ns_instances/" + nsId).expect(204, "delete NS");
                info(String.format(Locale.ROOT, "BENCH NS %s instantiated in %.0f ms, terminated in %.0f ms",
                        i < 0 ? "warm-up " + (i + warmup) : Integer.toString(i), took / 1e6,
                        (System.nanoTime() - t1) / 1e6));
            }
        }
        info("BENCH NS instantiate → COMPLETED: " + instantiate.summary() + "; terminate → COMPLETED: "
                + terminate.summary() + "; " + load());
        result("lifecycle.ns-instantiate.p50", instantiate.percentileMs(50), "ms");
        result("lifecycle.ns-instantiate.p99", instantiate.percentileMs(99), "ms");
        result("lifecycle.ns-instantiate.max", instantiate.maxMs(), "ms");
        result("lifecycle.ns-instantiate.count", instantiate.count(), "operations");
        result("lifecycle.ns-instantiate.warm-up.max", cold.maxMs(), "ms");
        result("lifecycle.ns-terminate.p50", terminate.percentileMs(50), "ms");
        result("lifecycle.ns-terminate.p99", terminate.percentileMs(99), "ms");
        stamp("instantiate");
    }

    // ---------------------------------------------------------------- chain: a 3-VNF chain → COMPLETED, forwarding

    /** Three NATs in a row, joined by virtual links ab and bc, between the SAPs vpc and internet. */
    static String chainNsd(String descriptorId) {
        StringBuilder nodes = new StringBuilder();
        String[][] nats = {{"nat-a", "vpc", "ab"}, {"nat-b", "ab", "bc"}, {"nat-c", "bc", "internet"}};
        for (String[] nat : nats) {
            nodes.append("    ").append(nat[0]).append(":\n      type: isthmus.nodes.nfv.Nat\n")
                    .append("      properties: {descriptor_id: isthmus-nat-1.0}\n      requirements: [ {inside: ")
                    .append(nat[1]).append("}, {outside: ").append(nat[2]).append("} ]\n");
        }
        return """
                tosca_definitions_version: tosca_simple_yaml_1_3
                topology_template:
                  node_templates:
                    ns:
                      type: tosca.nodes.nfv.NS
                      properties: {descriptor_id: %s, designer: bench, version: '1.0', name: chain, invariant_id: %s}
                %s    ab: {type: tosca.nodes.nfv.NsVirtualLink}
                    bc: {type: tosca.nodes.nfv.NsVirtualLink}
                    vpc: {type: tosca.nodes.nfv.Sap}
                    internet: {type: tosca.nodes.nfv.Sap}
                """.formatted(descriptorId, descriptorId, nodes);
    }

    void chains() throws Exception {
        int n = Integer.parseInt(args.getOrDefault("chain-instantiations", "20"));
        String nsdInfoId = api.post("alice", nfvo + "/nsd/v2/ns_descriptors", Map.of()).expect(201, "NSD").body()
                .path("id").asText();
        api.put("alice", nfvo + "/nsd/v2/ns_descriptors/" + nsdInfoId + "/nsd_content", "text/plain",
                chainNsd("bench-chain").getBytes(StandardCharsets.UTF_8)).expect(202, "NSD content");
        Latencies completed = new Latencies();
        Latencies forwarding = new Latencies();
        Latencies cold = new Latencies();
        Latencies throughChain = new Latencies();
        Latencies direct = new Latencies();
        try (DatagramSocket outside = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket inside = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket sender = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            outside.setSoTimeout(2);
            inside.setSoTimeout(1000);
            List<Map<String, Object>> vnfs = List.of(
                    Map.of("vnfProfileId", "nat-a", "additionalParams", natConfig("100.64.0.10", 100, 150)),
                    Map.of("vnfProfileId", "nat-b", "additionalParams", natConfig("100.64.1.10", 150, 160)),
                    Map.of("vnfProfileId", "nat-c", "additionalParams", natConfig("203.0.113.10", 160, 200)));
            Map<String, Object> request = Map.of("nsFlavourId", "default", "additionalParamsForNs",
                    Map.of("endpoints", Map.of("vpc", "127.0.0.1:" + inside.getLocalPort(), "internet",
                            "127.0.0.1:" + outside.getLocalPort())),
                    "additionalParamsForVnf", vnfs);
            int warmup = Integer.parseInt(args.getOrDefault("warmup", "2"));
            for (int i = -warmup; i < n; i++) {
                String nsId = api.post("alice", nfvo + "/nslcm/v2/ns_instances",
                        Map.of("nsdId", "bench-chain", "nsName", "chain-" + i)).expect(201, "NS instance").body()
                        .path("id").asText();
                long t0 = System.nanoTime();
                String op = api.post("alice", nfvo + "/nslcm/v2/ns_instances/" + nsId + "/instantiate", request)
                        .expect(202, "instantiate").location();
                awaitOp(nfvo, op, "COMPLETED", 20);
                long done = System.nanoTime() - t0;
                // a packet into the first NAT's ingress, every 2 ms, until one leaves the last NAT
                JsonNode ns = api.get("alice", nfvo + "/nslcm/v2/ns_instances/" + nsId).expect(200, "NS").body();
                InetSocketAddress first = null;
                InetSocketAddress last = null;
                for (JsonNode vnf : ns.path("vnfInstance")) {
                    String address = vnf.path("instantiatedVnfInfo").path("extCpInfo").path(0).path("metadata")
                            .path("ingress").path("endpoints").path(0).path("address").asText();
                    InetSocketAddress at = new InetSocketAddress("127.0.0.1",
                            Integer.parseInt(address.split(":")[1]));
                    if (vnf.path("vnfConfigurableProperties").path("insideNextHop").isTextual()) {
                        first = at;
                    }
                    if (vnf.path("vnfConfigurableProperties").path("outsideNextHop").isTextual()) {
                        last = at;
                    }
                }
                byte[] payload = ("chain " + i).getBytes(StandardCharsets.UTF_8);
                byte[] probe = Frames.vxlanUdp(100, FlowStream.CLIENT_IP, 40000 + (i & 0x3FFF),
                        FlowStream.SERVER_IP, 53, payload);
                long deadline = System.nanoTime() + 10_000_000_000L;
                long forwarded = -1;
                byte[] in = new byte[2048];
                DatagramPacket out = new DatagramPacket(in, in.length);
                while (forwarded < 0 && System.nanoTime() < deadline) {
                    sender.send(new DatagramPacket(probe, probe.length, first));
                    try {
                        outside.receive(out);
                        // this chain's probe, not one of an earlier chain's still on its way
                        if (Arrays.equals(Frames.parse(in, out.getLength()).payload(), payload)) {
                            forwarded = System.nanoTime() - t0;
                        }
                    } catch (SocketTimeoutException e) {
                        // not through yet
                    }
                }
                if (forwarded < 0) {
                    throw new IllegalStateException(
                            "chain " + i + ": no packet through the 3 NATs 10 s after COMPLETED");
                }
                if (i >= 0) {
                    roundTrips(sender, outside, inside, probe, first, last, Frames.parse(in, out.getLength()),
                            throughChain, direct);
                }
                long t1 = System.nanoTime();
                awaitOp(nfvo, api.post("alice", nfvo + "/nslcm/v2/ns_instances/" + nsId + "/terminate", Map.of())
                        .expect(202, "terminate").location(), "COMPLETED", 20);
                api.delete("alice", nfvo + "/nslcm/v2/ns_instances/" + nsId).expect(204, "delete NS");
                if (i >= 0) {
                    completed.add(done);
                    forwarding.add(forwarded);
                } else {
                    cold.add(done);
                }
                info(String.format(Locale.ROOT, "BENCH chain %s: COMPLETED in %.0f ms, forwarding in %.0f ms,"
                        + " terminated in %.0f ms", i < 0 ? "warm-up " + (i + warmup) : Integer.toString(i), done / 1e6,
                        forwarded / 1e6, (System.nanoTime() - t1) / 1e6));
            }
        }
        info("BENCH 3-NAT chain instantiate → COMPLETED: " + completed.summary() + "; → forwarding: "
                + forwarding.summary() + "; " + load());
        info("BENCH UDP round trip through the 3 NATs (each way): " + throughChain.summary()
                + "; the same over loopback without them: " + direct.summary());
        result("lifecycle.chain-round-trip.p50", throughChain.percentileMs(50) * 1000, "us");
        result("lifecycle.chain-round-trip.direct.p50", direct.percentileMs(50) * 1000, "us");
        result("lifecycle.chain-round-trip.per-function.p50",
                (throughChain.percentileMs(50) - direct.percentileMs(50)) * 1000 / 3, "us");
        result("lifecycle.chain-instantiate.p50", completed.percentileMs(50), "ms");
        result("lifecycle.chain-instantiate.p99", completed.percentileMs(99), "ms");
        result("lifecycle.chain-forwarding.p50", forwarding.percentileMs(50), "ms");
        result("lifecycle.chain-forwarding.p99", forwarding.percentileMs(99), "ms");
        result("lifecycle.chain-instantiate.count", completed.count(), "operations");
        result("lifecycle.chain-instantiate.warm-up.max", cold.maxMs(), "ms");
        stamp("chain");
    }

    /**
     * 100 UDP round trips through the chain, one at a time: the flow's packet into the first NAT, out of the last to
     * the internet's endpoint, answered into the last NAT's ingress and out of the first to the VPC's; then the same
     * two datagrams over loopback without the NATs (sender → internet's socket, → VPC's socket).
     */
    private static void roundTrips(DatagramSocket sender, DatagramSocket outside, DatagramSocket inside, byte[] probe,
            InetSocketAddress first, InetSocketAddress last, Frames.Packet translated, Latencies throughChain,
            Latencies direct) throws IOException {
        byte[] answer = Frames.vxlanUdp(200, FlowStream.SERVER_IP, 53, translated.srcIp(), translated.srcPort(),
                "answer".getBytes(StandardCharsets.UTF_8));
        byte[] buffer = new byte[2048];
        DatagramPacket received = new DatagramPacket(buffer, buffer.length);
        try {
            // the forwarding probes still on their way first
            outside.setSoTimeout(50);
            try {
                while (true) {
                    outside.receive(received);
                }
            } catch (SocketTimeoutException drained) {
                outside.setSoTimeout(1000);
            }
            for (int k = 0; k < 100; k++) {
                long t = System.nanoTime();
                sender.send(new DatagramPacket(probe, probe.length, first));
                outside.receive(received);
                outside.send(new DatagramPacket(answer, answer.length, last));
                inside.receive(received);
                throughChain.add(System.nanoTime() - t);
                t = System.nanoTime();
                sender.send(new DatagramPacket(probe, probe.length, outside.getLocalSocketAddress()));
                outside.receive(received);
                outside.send(new DatagramPacket(answer, answer.length, inside.getLocalSocketAddress()));
                inside.receive(received);
                direct.add(System.nanoTime() - t);
            }
        } finally {
            outside.setSoTimeout(2);
        }
    }

    private static Map<String, Object> natConfig(String publicAddress, int insideVni, int outsideVni) {
        return Map.of("publicAddress", publicAddress, "portRangeStart", 20000, "portRangeEnd", 29999, "insideVni",
                insideVni, "outsideVni", outsideVni);
    }

    // ---------------------------------------------------------------- 2. scale out → COMPLETED, → first packet

    void scaling() throws Exception {
        int rounds = Integer.parseInt(args.getOrDefault("scale-rounds", "20"));
        Latencies outDone = new Latencies();
        Latencies outFirstPacket = new Latencies();
        Latencies outIngress = new Latencies();
        Latencies inDone = new Latencies();
        try (DatagramSocket outside = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket inside = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            String id = api.post("alice", vnfm + "/vnflcm/v2/vnf_instances",
                    Map.of("vnfdId", "isthmus-nat-1.0", "vnfInstanceName", "bench-scale")).expect(201, "VNF").body()
                    .path("id").asText();
            String url = vnfm + "/vnflcm/v2/vnf_instances/" + id;
            Map<String, Object> natConfig = Map.of("publicAddress", "203.0.113.60", "portRangeStart", 20000,
                    "portRangeEnd", 29999, "insideVni", FlowStream.INSIDE_VNI, "outsideVni", FlowStream.OUTSIDE_VNI,
                    "insideNextHop", "127.0.0.1:" + inside.getLocalPort(), "outsideNextHop",
                    "127.0.0.1:" + outside.getLocalPort(), "filtering", "endpoint-independent");
            awaitOp(vnfm, api.post("alice", url + "/instantiate",
                    Map.of("flavourId", "default", "additionalParams", natConfig)).expect(202, "instantiate")
                    .location(), "COMPLETED", 50);
            int flows = 64;
            FlowStream stream = new FlowStream(() -> api.get("alice", url).expect(200, "VNF").body(), flows, 100,
                    outside);
            List<Integer> outPhases = new ArrayList<>();
            List<Integer> inPhases = new ArrayList<>();
            List<Integer> steadyPhases = new ArrayList<>();
            List<Integer> steadyWarmup = new ArrayList<>();
            try {
                // warm up: every flow bound and through, then a baseline with nothing changing
                stream.phase(FlowStream.MAX_PHASES - 1);
                LockSupport.parkNanos(2_000_000_000L);
                stream.phase(0);
                steadyPhases.add(0);
                LockSupport.parkNanos(2_000_000_000L);
                // the first round (the vnfm's and the vim's scale code still cold) is not counted
                int warmup = Integer.parseInt(args.getOrDefault("scale-warmup", "1"));
                for (int r = 0; r < warmup + rounds; r++) {
                    boolean counted = r >= warmup;
                    Set<String> before = FlowStream.ingress(api.get("alice", url).body()).keySet();
                    int phase = 1 + 4 * r;
                    stream.phase(phase);
                    (counted ? outPhases : steadyWarmup).add(phase);
                    long t0 = System.nanoTime();
                    String op = api.post("alice", url + "/scale", Map.of("type", "SCALE_OUT", "aspectId", "fastpath"))
                            .expect(202, "scale out").location();
                    Prober prober = new Prober(stream, r, url, before);
                    Thread probing = Thread.ofPlatform().name("prober").start(prober);
                    awaitOp(vnfm, op, "COMPLETED", 10);
                    long done = System.nanoTime();
                    probing.join(30_000);
                    long first = stream.firstProbe(r);
                    if (counted) {
                        outDone.add(done - t0);
                        if (first != 0) {
                            outFirstPacket.add(first - t0);
                        }
                        if (prober.publishedAt != 0) {
                            outIngress.add(prober.publishedAt - t0);
                        }
                    }
                    stream.phase(phase + 1);
                    (counted ? steadyPhases : steadyWarmup).add(phase + 1);
                    LockSupport.parkNanos(500_000_000L);

                    stream.phase(phase + 2);
                    (counted ? inPhases : steadyWarmup).add(phase + 2);
                    long t1 = System.nanoTime();
                    awaitOp(vnfm, api.post("alice", url + "/scale",
                            Map.of("type", "SCALE_IN", "aspectId", "fastpath", "numberOfSteps", 1))
                            .expect(202, "scale in").location(), "COMPLETED", 10);
                    long inTook = System.nanoTime() - t1;
                    if (counted) {
                        inDone.add(inTook);
                    }
                    stream.phase(phase + 3);
                    (counted ? steadyPhases : steadyWarmup).add(phase + 3);
                    LockSupport.parkNanos(500_000_000L);
                    info(String.format(Locale.ROOT,
                            "BENCH scale round %s: out COMPLETED %.0f ms, in the ingress %.0f ms, first packet"
                                    + " through the new fastpath %s; in COMPLETED %.0f ms",
                            counted ? Integer.toString(r - warmup) : "warm-up " + r, (done - t0) / 1e6,
                            prober.publishedAt == 0 ? Double.NaN : (prober.publishedAt - t0) / 1e6,
                            first == 0 ? "never" : String.format(Locale.ROOT, "%.0f ms", (first - t0) / 1e6),
                            inTook / 1e6));
                }
            } finally {
                stream.close();
            }
            long[] out = lost(stream, outPhases);
            long[] in = lost(stream, inPhases);
            long[] steady = lost(stream, steadyPhases);
            info("BENCH scale out → COMPLETED: " + outDone.summary() + "; → in the published ingress: "
                    + outIngress.summary() + "; → first packet through the new fastpath: " + outFirstPacket.summary()
                    + "; scale in → COMPLETED: " + inDone.summary() + "; " + load());
            info(String.format(Locale.ROOT,
                    "BENCH %d UDP flows every 20 ms: during scale out %d of %d packets lost, during scale in %d of %d,"
                            + " between changes %d of %d; flows that changed public port %d",
                    flows, out[1], out[0], in[1], in[0], steady[1], steady[0], stream.flowsThatChangedPort()));
            result("lifecycle.scale-out.completed.p50", outDone.percentileMs(50), "ms");
            result("lifecycle.scale-out.completed.p99", outDone.percentileMs(99), "ms");
            result("lifecycle.scale-out.first-packet.p50", outFirstPacket.percentileMs(50), "ms");
            result("lifecycle.scale-out.first-packet.p99", outFirstPacket.percentileMs(99), "ms");
            result("lifecycle.scale-out.first-packet.count", outFirstPacket.count(), "rounds");
            result("lifecycle.scale-out.ingress.p99", outIngress.percentileMs(99), "ms");
            result("lifecycle.scale-in.completed.p50", inDone.percentileMs(50), "ms");
            result("lifecycle.scale-in.completed.p99", inDone.percentileMs(99), "ms");
            result("lifecycle.scale.rounds", rounds, "rounds");
            result("lifecycle.scale-out.lost", out[1], "packets");
            result("lifecycle.scale-out.sent", out[0], "packets");
            result("lifecycle.scale-in.lost", in[1], "packets");
            result("lifecycle.scale-in.sent", in[0], "packets");
            result("lifecycle.scale.steady.lost", steady[1], "packets");
            result("lifecycle.scale.steady.sent", steady[0], "packets");
            result("lifecycle.scale.flows-changed-port", stream.flowsThatChangedPort(), "flows");
            awaitOp(vnfm, api.post("alice", url + "/terminate", Map.of("terminationType", "FORCEFUL"))
                    .expect(202, "terminate").location(), "COMPLETED", 50);
        }
        stamp("scale");
    }

    private static long[] lost(FlowStream stream, List<Integer> phases) {
        long sent = 0;
        long received = 0;
        for (int p : phases) {
            sent += stream.sent(p);
            received += stream.received(p);
        }
        return new long[]{sent, sent - received};
    }

    /**
     * Watches the VNF's published ingress every 10 ms for the fastpath the scale out adds, then sends a probe to it
     * every millisecond until one comes out of the NAT (or 30 s pass).
     */
    final class Prober implements Runnable {
        final FlowStream stream;
        final int round;
        final String url;
        final Set<String> before;
        volatile long publishedAt;

        Prober(FlowStream stream, int round, String url, Set<String> before) {
            this.stream = stream;
            this.round = round;
            this.url = url;
            this.before = before;
        }

        @Override
        public void run() {
            long deadline = System.nanoTime() + 30_000_000_000L;
            Integer port = null;
            while (port == null && System.nanoTime() < deadline) {
                for (Map.Entry<String, Integer> e : FlowStream.ingress(api.get("alice", url).body()).entrySet()) {
                    if (!before.contains(e.getKey())) {
                        port = e.getValue();
                        publishedAt = System.nanoTime();
                    }
                }
                if (port == null) {
                    LockSupport.parkNanos(10_000_000L);
                }
            }
            long n = 0;
            while (port != null && stream.firstProbe(round) == 0 && System.nanoTime() < deadline) {
                try {
                    stream.probe(round, port, n++);
                } catch (IOException e) {
                    return;
                }
                LockSupport.parkNanos(1_000_000L);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Polls an LCM operation occurrence (NS or VNF) every {@code pollMillis} until it is in {@code state}. */
    JsonNode awaitOp(String base, String location, String state, long pollMillis) {
        String url = location.startsWith("http") ? location : base + location;
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode op = api.get("alice", url).expect(200, "operation " + url).body();
            String s = op.path("operationState").asText();
            if (state.equals(s)) {
                return op;
            }
            if (s.equals("FAILED_TEMP") || s.equals("FAILED") || s.equals("ROLLED_BACK")) {
                throw new IllegalStateException("operation " + url + " is " + s + ": " + op.path("error"));
            }
            LockSupport.parkNanos(pollMillis * 1_000_000L);
        }
        throw new IllegalStateException("operation " + url + " not " + state + " after 180 s");
    }

    void result(String name, double value, String unit) {
        String text = value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
        results.put(name, text + " " + unit);
        info("RESULT " + name + " " + text + " " + unit);
    }

    void stamp(String part) {
        measuredAt.put(part, DATE.format(Instant.now()) + ", " + load());
        info("INFO " + part + " measured " + measuredAt.get(part));
    }

    void info(String line) {
        lines.add(line);
        PrintStream out = System.out;
        out.println(line);
        out.flush();
    }

    /** The machine's load, as uptime says it. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load average " + f[0] + ", " + f[1] + ", " + f[2] + " on "
                    + Runtime.getRuntime().availableProcessors() + " CPUs";
        } catch (IOException e) {
            return "load unknown";
        }
    }
}
