package io.isthmus.e2e.bench.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figures 7 and 8 (root): a NAT of its own — a slowpath and two fastpaths of the runtime jar, the fastpaths on every
 * address — and the VPC lab of {@code scripts/lab.sh} built for it; one iperf3 TCP stream (10 s) and new TCP
 * connections ({@link ConnectionRate}, 5 s) from the VPC namespace to the server behind the router; then the VPC and
 * the router are pointed at a namespace where the Linux kernel does the same job (VXLAN on both sides, as the
 * fastpaths, and nftables masquerade), and both run again. Prints {@code RESULT lab.tcp.nat|kernel <bit/s>} and
 * {@code RESULT lab.cps.nat|kernel <connections/s>}.
 *
 * <pre>
 * LabBenchmark --java &lt;java&gt; --bench-jar &lt;isthmus-bench.jar&gt; --runtime-jar &lt;isthmus-vnf-runtime.jar&gt;
 *              --scripts &lt;repository&gt;/scripts --dir &lt;results&gt;
 * </pre>
 */
public final class LabBenchmark {

    private static final List<Integer> DATA_PORTS = List.of(LabProcesses.freeUdpPort(), LabProcesses.freeUdpPort());
    private static final String VPC = "isthmus-vpc";
    private static final String ROUTER = "isthmus-out";
    private static final String SERVERS = "isthmus-srv";
    /** The namespace where the kernel translates (lab_down in scripts/lab.sh removes it too). */
    private static final String KERNEL = "isthmus-kgw";
    private static final String SERVER = "203.0.113.130";
    private static final String PUBLIC = "203.0.113.10";
    private static final String MAC_VPC = "02:00:00:00:01:01";
    private static final String MAC_OUT = "02:00:00:00:01:02";
    private static final Pattern RECEIVED_BPS = Pattern
            .compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private final Map<String, String> args;
    private final Path dir;
    private final LabProcesses processes;

    private LabBenchmark(Map<String, String> args) {
        this.args = args;
        this.dir = Path.of(args.get("dir"));
        this.processes = new LabProcesses(dir);
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = LabProcesses.arguments(argv, "java", "bench-jar", "runtime-jar", "scripts", "dir");
        LabBenchmark bench = new LabBenchmark(args);
        try {
            bench.run();
        } finally {
            bench.tearDown();
        }
    }

    private void run() throws Exception {
        Files.createDirectories(dir);
        startNat();
        lab("lab_build 198.51.100.2:4789 198.51.100.6:4789 100 200 " + PUBLIC + " '" + DATA_PORTS.get(0) + " "
                + DATA_PORTS.get(1) + "'");
        command("ip", "netns", "exec", VPC, "sysctl", "-q", "-w", "net.ipv4.ip_local_port_range=1024 65000");
        processes.spawn("connection-server", "ip", "netns", "exec", SERVERS, args.get("java"), "-cp",
                args.get("bench-jar"), ConnectionRate.class.getName(), "server", SERVER, "8080");
        processes.awaitLine("connection-server", "listening on");
        leg("nat");
        System.out.println("slowpath /stats: " + processes.http("GET", "/stats", null).body());
        kernelGateway();
        leg("kernel");
    }

    /** The NAT's processes, as the VIM would start them, and its configuration (a port range as wide as it goes). */
    private void startNat() throws Exception {
        processes.startVnf(args.get("java"), args.get("runtime-jar"), "nat", DATA_PORTS, """
                {"publicAddress":"%s","portRangeStart":1024,"portRangeEnd":65535,"insideVni":100,"outsideVni":200,
                 "insideNextHop":"198.51.100.2:4789","outsideNextHop":"198.51.100.6:4789"}""".formatted(PUBLIC));
    }

    /** One leg: a 10 s iperf3 stream, then 5 s of new connections from 8 threads. */
    private void leg(String name) throws Exception {
        String report = command("ip", "netns", "exec", VPC, "iperf3", "-c", SERVER, "-t", "10", "-J");
        Matcher bps = RECEIVED_BPS.matcher(report);
        if (!bps.find()) {
            throw new IllegalStateException("iperf3 through the " + name + " gave no result:\n" + report);
        }
        System.out.printf("RESULT lab.tcp.%s %.0f bit/s%n", name, Double.parseDouble(bps.group(1)));
        System.out.print(command("ip", "netns", "exec", VPC, args.get("java"), "-cp", args.get("bench-jar"),
                ConnectionRate.class.getName(), "client", SERVER, "8080", "5", "8", "lab.cps." + name));
    }

    /**
     * The kernel as the translator in the same lab: a namespace joined to both underlay namespaces by veths, a VXLAN
     * device on each side and nftables masquerade to the public address; the VPC and the router each get one more
     * VXLAN device pointed at it, and their routes move onto it.
     */
    private void kernelGateway() throws Exception {
        command("ip", "netns", "add", KERNEL);
        command("ip", "-n", KERNEL, "link", "set", "lo", "up");
        veth("isthmus-ulv", "isl-kv", "198.18.1.1", "kv", "198.18.1.2");
        veth("isthmus-ulo", "isl-ko", "198.18.1.5", "ko", "198.18.1.6");
        vxlan("isthmus-ulv", VPC, "vxk", MAC_VPC, 100, 4799, "isl-kv", "198.18.1.2", 4789);
        vxlan("isthmus-ulo", ROUTER, "vxk", MAC_OUT, 200, 4799, "isl-ko", "198.18.1.6", 4790);
        vxlan(KERNEL, KERNEL, "vxi", MAC_OUT, 100, 4789, "kv", "198.18.1.1", 4799);
        vxlan(KERNEL, KERNEL, "vxo", MAC_VPC, 200, 4790, "ko", "198.18.1.5", 4799);
        command("ip", "netns", "exec", KERNEL, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1",
                "net.ipv6.conf.all.disable_ipv6=1");
        command("ip", "-n", KERNEL, "addr", "add", "10.0.0.1/24", "dev", "vxi");
        command("ip", "-n", KERNEL, "addr", "add", PUBLIC + "/32", "dev", "vxo");
        command("ip", "-n", KERNEL, "neigh", "replace", "10.0.0.5", "lladdr", MAC_VPC, "dev", "vxi", "nud",
                "permanent");
        command("ip", "-n", KERNEL, "neigh", "replace", "203.0.113.1", "lladdr", MAC_OUT, "dev", "vxo", "nud",
                "permanent");
        command("ip", "-n", KERNEL, "route", "add", "203.0.113.128/25", "via", "203.0.113.1", "dev", "vxo",
                "onlink");
        Path rules = dir.resolve("kernel-gateway.nft");
        Files.writeString(rules, """
                table ip isthmus_lab {
                  chain postrouting {
                    type nat hook postrouting priority srcnat;
                    oifname "vxo" masquerade
                  }
                }
                """);
        command("ip", "netns", "exec", KERNEL, "nft", "-f", rules.toString());
        command("ip", "-n", VPC, "neigh", "replace", "10.0.0.1", "lladdr", MAC_OUT, "dev", "vxk", "nud",
                "permanent");
        command("ip", "-n", VPC, "route", "replace", "default", "via", "10.0.0.1", "dev", "vxk", "onlink", "src",
                "10.0.0.5");
        command("ip", "-n", ROUTER, "neigh", "replace", PUBLIC, "lladdr", MAC_VPC, "dev", "vxk", "nud", "permanent");
        command("ip", "-n", ROUTER, "route", "replace", PUBLIC + "/32", "dev", "vxk", "src", "203.0.113.1");
    }

    private void veth(String ns1, String if1, String address1, String if2, String address2) throws Exception {
        command("ip", "link", "add", if1, "mtu", "1550", "netns", ns1, "type", "veth", "peer", "name", if2, "mtu",
                "1550", "netns", KERNEL);
        for (String[] end : List.of(new String[]{ns1, if1, address1, address2},
                new String[]{KERNEL, if2, address2, address1})) {
            command("ip", "-n", end[0], "addr", "add", end[2] + "/32", "dev", end[1]);
            command("ip", "-n", end[0], "link", "set", end[1], "up");
            command("ip", "-n", end[0], "route", "add", end[3] + "/32", "dev", end[1]);
            command("ip", "netns", "exec", end[0], "ethtool", "-K", end[1], "tx", "off", "tso", "off", "gso", "off");
        }
    }

    private void vxlan(String madeIn, String target, String name, String mac, int vni, int listenPort,
            String underlay, String remote, int remotePort) throws Exception {
        command("ip", "-n", madeIn, "link", "add", name, "address", mac, "type", "vxlan", "id", Integer.toString(vni),
                "dstport", Integer.toString(listenPort), "nolearning", "dev", underlay);
        if (!madeIn.equals(target)) {
            command("ip", "-n", madeIn, "link", "set", name, "netns", target);
        }
        command("ip", "netns", "exec", target, "bridge", "fdb", "append", "00:00:00:00:00:00", "dev", name, "dst",
                remote, "port", Integer.toString(remotePort), "self", "permanent");
        command("ip", "-n", target, "link", "set", name, "up");
    }

    /** A function of scripts/lab.sh, run in bash with the lab in {@code dir/lab}. */
    private void lab(String call) throws Exception {
        String scripts = args.get("scripts");
        command("bash", "-c", ". '" + scripts + "/lib.sh' && . '" + scripts + "/lab.sh' && nfv_settings && LAB_DIR='"
                + dir.resolve("lab") + "' && " + call);
    }

    private void tearDown() {
        try {
            lab("lab_down");
        } catch (Exception e) {
            System.out.println("lab_down failed: " + e.getMessage());
        }
        processes.close();
    }

    private static String command(String... command) throws Exception {
        return LabProcesses.command(command);
    }
}
