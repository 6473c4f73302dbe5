package io.isthmus.e2e;

import static io.isthmus.e2e.Chains.config;
import static io.isthmus.e2e.Chains.dataPorts;
import static io.isthmus.e2e.Chains.ingress;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.isthmus.e2e.Commands.Result;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Issue 14: the second example chain, an office joined to two VPCs through a VPN gateway and a cloud enterprise
 * network, ordered through SOL005 (deploy/demo/office-nsd.yaml and instantiate-office.json) and carrying real
 * applications. The NFVO wires the link between the gateway's VPC side and the CEN's first attachment; the NS's
 * endpoints are namespaces with kernel VXLAN tunnels (src/test/resources/office-lab.sh): the office, whose router runs
 * strongSwan's charon (kernel-libipsec: user-space ESP, always in UDP 4500) and has a host 172.16.1.1, and a host in
 * each VPC behind the CEN (10.1.0.5, 10.2.0.5). Then: charon initiates IKEv2 to the gateway's public address and
 * IKE_AUTH completes; ping and curl go from the office to each VPC's host and back, through the tunnel, the gateway and
 * the CEN (which the TTL shows); the NS view shows the link, each side sending to the ingress the other publishes, and
 * the counters of both hops. Needs root and strongSwan ({@code .ci/run} installs it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OfficeChainEndToEndIT {

    private static final String OFFICE = "isthmus-of-office";
    private static final String VPC_A = "isthmus-of-vpc-a";
    private static final String VPC_B = "isthmus-of-vpc-b";
    private static final String OFFICE_ROUTER = "203.0.113.130";
    private static final String OFFICE_HOST = "172.16.1.1";
    private static final String PUBLIC_IP = "203.0.113.10";
    private static final String HOST_A = "10.1.0.5";
    private static final String HOST_B = "10.2.0.5";
    private static final String PSK = "demo pre-shared key: change me";

    static Platform platform;
    static Path runDir;
    static String alice;
    static String nsId;
    static StrongSwanOffice office;
    static final List<Process> servers = new ArrayList<>();

    @BeforeAll
    static void orderTheChainAndBuildItsNetworkAndTheOffice() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the chain's network needs root (network namespaces, VXLAN devices): run ./nfv test as root");
        assumeTrue(StrongSwanOffice.installed(),
                "needs strongSwan (strongswan-charon, strongswan-swanctl, libcharon-extra-plugins): "
                        + ".ci/run installs it");
        platform = new Platform();
        runDir = platform.root.resolve("e2e/target/office-run");
        lab("down");
        Platform.deleteRecursively(runDir);
        Files.createDirectories(runDir);
        platform.start();
        alice = NatGatewayEndToEndIT.token("alice");

        // the operator on-boards the two VNF packages; the tenant uploads the demo's NSD and orders it
        for (String module : List.of("vnf-vpn", "vnf-cen")) {
            Catalog.onboard(platform, module);
        }
        Catalog.nsd(platform, alice, Files.readString(platform.root.resolve("deploy/demo/office-nsd.yaml")));
        nsId = nfvo().contentType(ContentType.JSON).body(Map.of("nsdId", "office-vpcs", "nsName", "office"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        String request = Files.readString(platform.root.resolve("deploy/demo/instantiate-office.json"));
        assertThat(request).contains(PSK);
        long start = System.nanoTime();
        awaitNsOp(nfvo().contentType(ContentType.JSON).body(request)
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate"));
        System.out.printf("office chain e2e: VPN gateway and CEN instantiated and wired in %d ms%n",
                (System.nanoTime() - start) / 1_000_000);

        JsonPath ns = ns();
        lab("up", dataPorts(ns, "vpn"), dataPorts(ns, "cen"));
        office = StrongSwanOffice.start(OFFICE, runDir.resolve("office"), OFFICE_ROUTER, PUBLIC_IP, PSK,
                "172.16.1.0/24", "10.1.0.0/16,10.2.0.0/16");
        servers.add(httpServer(OFFICE, OFFICE_HOST, "the office's intranet"));
        servers.add(httpServer(VPC_A, HOST_A, "a host in VPC A"));
        servers.add(httpServer(VPC_B, HOST_B, "a host in VPC B"));
    }

    @AfterAll
    static void takeTheNetworkDownAndTerminate() {
        if (platform == null) {
            return;
        }
        try {
            if (office != null) {
                office.close();
            }
            servers.forEach(VpnEndToEndIT::stop);
            lab("down");
            assertThat(Commands.run("ip", "netns", "list").output()).doesNotContain("isthmus-of-", "isthmus-ulof");
            if (nsId != null) {
                awaitNsOp(nfvo().contentType(ContentType.JSON).body("{}")
                        .post("/nslcm/v2/ns_instances/" + nsId + "/terminate"));
            }
        } finally {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void theNsShowsTheLinkBetweenTheGatewayAndTheCenEachSideSendingToTheIngressTheOtherPublishes() {
        JsonPath ns = ns();
        assertThat(ns.getList("virtualLinkInfo.id")).containsExactly("vpn-link");
        assertThat(ns.getList("virtualLinkInfo.find { it.id == 'vpn-link' }.linkPort.id"))
                .containsExactlyInAnyOrder("vpn.vpc", "cen.attachment1");

        assertThat(config(ns, "vpn")).containsEntry("vpcNextHop", ingress(ns, "cen", "attachment1"))
                .containsEntry("outsideNextHop", "198.18.6.2:4789");
        assertThat(config(ns, "cen")).containsEntry("attachment1NextHop", ingress(ns, "vpn", "vpc"))
                .containsEntry("attachment2NextHop", "198.18.6.6:4789")
                .containsEntry("attachment3NextHop", "198.18.6.10:4789");
        // the gateway has its one fastpath, the CEN its default two
        assertThat((List<?>) ingress(ns, "vpn", "vpc").get("endpoints")).hasSize(1);
        assertThat((List<?>) ingress(ns, "cen", "attachment1").get("endpoints")).hasSize(2);
    }

    @Test
    @Order(2)
    void strongSwanAtTheOfficeInitiatesAndIkeAuthCompletesWithTheGateway() throws Exception {
        String initiate = office.swanctl("--initiate", "--child", "vpc", "--timeout", "30");
        assertThat(initiate).as(initiate).contains("initiate completed successfully");
        String sas = office.swanctl("--list-sas");
        assertThat(sas).as(sas).contains("ESTABLISHED", "INSTALLED", PUBLIC_IP, "10.1.0.0/16", "10.2.0.0/16");
        // charon's own account: its IKE_AUTH request answered, the IKE_SA and the CHILD_SA with both VPCs up
        assertThat(Files.readString(office.log())).contains("parsed IKE_AUTH response")
                .contains("IKE_SA vpc[1] established between " + OFFICE_ROUTER + "[" + OFFICE_ROUTER + "]..."
                        + PUBLIC_IP + "[" + PUBLIC_IP + "]")
                .contains("TS 172.16.1.0/24 === 10.1.0.0/16 10.2.0.0/16");
    }

    @Test
    @Order(3)
    void theOfficeReachesAHostInEachVpcThroughTheGatewayAndTheCen() {
        for (String host : List.of(HOST_A, HOST_B)) {
            Result ping = Commands.inNamespace(OFFICE, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-I", OFFICE_HOST,
                    host);
            assertThat(ping.exit()).as(ping.output()).isZero();
            // one router on the way back: the CEN decrements the TTL (the gateway and the tunnel do not)
            assertThat(ping.output()).contains("ttl=63");
        }
        Result a = Commands.inNamespace(OFFICE, "curl", "-sS", "--fail-with-body", "-m", "10", "--interface",
                OFFICE_HOST, "http://" + HOST_A + ":8080/who.txt");
        assertThat(a.exit()).as(a.output()).isZero();
        assertThat(a.output()).isEqualTo("a host in VPC A\n");
        Result b = Commands.inNamespace(OFFICE, "curl", "-sS", "--fail-with-body", "-m", "10", "--interface",
                OFFICE_HOST, "http://" + HOST_B + ":8080/who.txt");
        assertThat(b.exit()).as(b.output()).isZero();
        assertThat(b.output()).isEqualTo("a host in VPC B\n");
    }

    @Test
    @Order(4)
    void eachVpcsHostReachesTheOfficeBack() {
        for (String vpc : List.of(VPC_A, VPC_B)) {
            Result ping = Commands.inNamespace(vpc, "ping", "-c", "3", "-i", "0.2", "-W", "2", OFFICE_HOST);
            assertThat(ping.exit()).as("%s: %s", vpc, ping.output()).isZero();
            Result page = Commands.inNamespace(vpc, "curl", "-sS", "--fail-with-body", "-m", "10",
                    "http://" + OFFICE_HOST + ":8080/who.txt");
            assertThat(page.exit()).as("%s: %s", vpc, page.output()).isZero();
            assertThat(page.output()).isEqualTo("the office's intranet\n");
        }
    }

    @Test
    @Order(5)
    void theNsShowsWhatWentThroughBothHops() {
        await("both hops' counters in the NS view").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonPath ns = ns();
                    for (String profile : List.of("vpn", "cen")) {
                        Chains.assertCarriedTraffic(ns, profile);
                    }
                });
    }

    /** python3's HTTP server on address:8080 in namespace, serving who.txt = {@code who} and a newline. */
    private static Process httpServer(String namespace, String address, String who) throws Exception {
        Path www = Files.createDirectories(runDir.resolve("www-" + address));
        Files.writeString(www.resolve("who.txt"), who + "\n");
        return VpnEndToEndIT.httpServer(namespace, address, www);
    }

    private static void awaitNsOp(Response accepted) {
        NatLabEndToEndIT.awaitNsOpAs(alice, platform, accepted.then().statusCode(202).extract().header("Location"));
    }

    private static JsonPath ns() {
        return nfvo().get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().jsonPath();
    }

    /** src/test/resources/office-lab.sh up|down. */
    private static void lab(String... args) {
        Chains.lab(platform, "office-lab.sh", args);
    }

    private static RequestSpecification nfvo() {
        return given().baseUri(platform.url("nfvo")).auth().oauth2(alice).header("Version", "2.0.0");
    }
}
