package io.isthmus.e2e.bench.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Figure 15 (root): HTTP requests per second through the server load balancer against the same client straight to one
 * backend. A load balancer of its own (a slowpath and one fastpath of the runtime jar, the fastpath on every address),
 * the network of the load balancer's end-to-end test ({@code e2e/src/test/resources/slb-lab.sh}: clients and the
 * backends' VPC as namespaces with kernel VXLAN to the fastpath), three nginx backends in the VPC; then
 * {@link HttpRate} in the clients' namespace, 16 keep-alive connections for 10 s, to the VIP, and again over a veth
 * between the two namespaces straight to one backend. Prints {@code RESULT lab.http.balanced <req/s>} and
 * {@code RESULT lab.http.direct <req/s>}.
 *
 * <pre>
 * LoadBalancerLabBenchmark --java &lt;java&gt; --bench-jar &lt;isthmus-bench.jar&gt;
 *                          --runtime-jar &lt;isthmus-vnf-runtime.jar&gt; --root &lt;repository&gt; --dir &lt;results&gt;
 * </pre>
 */
public final class LoadBalancerLabBenchmark {

    private static final String CLIENTS = "isthmus-slb-client";
    private static final String VPC = "isthmus-slb-vpc";
    private static final String VIP = "172.16.9.10";
    private static final List<String> BACKENDS = List.of("10.20.0.11", "10.20.0.12", "10.20.0.13");
    private static final int SECONDS = 10;
    private static final int CONNECTIONS = 16;

    private final Map<String, String> args;
    private final Path dir;
    private final Path labScript;
    private final LabProcesses processes;
    private final List<Integer> dataPorts = List.of(LabProcesses.freeUdpPort());

    private LoadBalancerLabBenchmark(Map<String, String> args) {
        this.args = args;
        this.dir = Path.of(args.get("dir")).toAbsolutePath();
        this.labScript = Path.of(args.get("root")).resolve("e2e/src/test/resources/slb-lab.sh");
        this.processes = new LabProcesses(dir);
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = LabProcesses.arguments(argv, "java", "bench-jar", "runtime-jar", "root", "dir");
        LoadBalancerLabBenchmark bench = new LoadBalancerLabBenchmark(args);
        try {
            bench.run();
        } finally {
            bench.tearDown();
        }
    }

    private void run() throws Exception {
        Files.createDirectories(dir);
        List<String> backends = new ArrayList<>();
        for (String backend : BACKENDS) {
            backends.add("{\"address\":\"" + backend + "\",\"port\":80}");
        }
        processes.startVnf(args.get("java"), args.get("runtime-jar"), "slb", dataPorts, """
                {"frontendVni":300,"backendVni":100,"localAddresses":["10.20.0.250"],
                 "frontendNextHop":"198.18.3.2:4789","backendNextHop":"198.18.3.6:4789",
                 "listeners":[{"name":"web","vip":"%s","protocol":"tcp","port":80,"backendGroup":"web"}],
                 "backendGroups":[{"name":"web","backends":[%s]}]}""".formatted(VIP, String.join(",", backends)));
        LabProcesses.command("bash", labScript.toString(), "up", Integer.toString(dataPorts.getFirst()));
        for (String backend : BACKENDS) {
            nginx(backend);
        }
        // straight from the clients to the first backend, beside the load balancer
        LabProcesses.command("ip", "link", "add", "isb-d0", "netns", CLIENTS, "type", "veth", "peer", "name",
                "isb-d1", "netns", VPC);
        LabProcesses.command("ip", "-n", CLIENTS, "addr", "add", "172.31.255.1/30", "dev", "isb-d0");
        LabProcesses.command("ip", "-n", VPC, "addr", "add", "172.31.255.2/30", "dev", "isb-d1");
        LabProcesses.command("ip", "-n", CLIENTS, "link", "set", "isb-d0", "up");
        LabProcesses.command("ip", "-n", VPC, "link", "set", "isb-d1", "up");
        LabProcesses.command("ip", "-n", CLIENTS, "route", "add", BACKENDS.getFirst() + "/32", "via",
                "172.31.255.2");

        leg("balanced", VIP);
        leg("direct", BACKENDS.getFirst());
        System.out.println("slowpath /stats: " + processes.http("GET", "/stats", null).body());
    }

    private void leg(String name, String address) throws Exception {
        System.out.print(LabProcesses.command("ip", "netns", "exec", CLIENTS, args.get("java"), "-cp",
                args.get("bench-jar"), HttpRate.class.getName(), address, "80", "/", Integer.toString(SECONDS),
                Integer.toString(CONNECTIONS), "lab.http." + name));
    }

    /** An nginx on {@code address}:80 in the VPC answering 200 with a few bytes ({@link NginxBackend}). */
    private void nginx(String address) throws Exception {
        Path home = dir.resolve("nginx-" + address);
        NginxBackend.configure(home, address, "access_log off;");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", VPC));
        command.addAll(NginxBackend.command(home));
        processes.spawn("nginx-" + address, command.toArray(String[]::new));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(home.resolve("nginx.pid"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nginx on " + address + " did not start: see " + home);
            }
            Thread.sleep(50);
        }
    }

    private void tearDown() {
        processes.close();
        try {
            LabProcesses.command("bash", labScript.toString(), "down");
        } catch (Exception e) {
            System.out.println("slb-lab.sh down failed: " + e.getMessage());
        }
    }
}
