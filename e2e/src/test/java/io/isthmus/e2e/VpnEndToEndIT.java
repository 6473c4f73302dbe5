package io.isthmus.e2e;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.isthmus.e2e.Commands.Result;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Issue 12: a VPN gateway ordered through the SOL005 API (the demo's NSD and request, deploy/demo) connects the
 * tenant's VPC to an office running strongSwan. The platform's real processes run the gateway; {@code ./nfv lab up}
 * builds the VPC and "the internet" as network namespaces with kernel VXLAN tunnels to the fastpaths; the office is
 * the lab's server namespace (203.0.113.130), where charon (kernel-libipsec: user-space ESP, always in UDP 4500) runs
 * with a host address 172.16.1.1 in the office's prefix. Then: charon initiates and IKE_AUTH completes with the
 * gateway, ping and curl go both ways between 10.0.0.5 (the VPC) and 172.16.1.1 (the office), the CHILD_SA and the
 * IKE_SA are rekeyed under a ping stream that loses nothing, and the pre-shared key appears in no answer of the APIs.
 * Needs root and strongSwan; {@code .ci/run} installs them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VpnEndToEndIT {

    private static final String VPC = "isthmus-vpc";
    private static final String OFFICE = "isthmus-srv";
    private static final String OFFICE_ROUTER = "203.0.113.130";
    private static final String OFFICE_HOST = "172.16.1.1";
    private static final String VPC_HOST = "10.0.0.5";
    private static final String PUBLIC_IP = "203.0.113.10";
    private static final String PSK = "demo pre-shared key: change me";
    private static final Pattern LOSS = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

    static Platform platform;
    static Path runDir;
    static StrongSwanOffice office;
    static String alice;
    static String nsId;
    static String vnfId;
    static final List<Process> servers = new ArrayList<>();

    @BeforeAll
    static void orderAVpnGatewayAndBuildTheLabAndTheOffice() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the VPC lab needs root (network namespaces, VXLAN devices): run ./nfv test as root");
        assumeTrue(StrongSwanOffice.installed(),
                "needs strongSwan (strongswan-charon, strongswan-swanctl, libcharon-extra-plugins): .ci/run installs it");
        platform = new Platform().start();
        runDir = platform.root.resolve("e2e/target/lab-run");
        alice = NatGatewayEndToEndIT.token("alice");

        Catalog.onboard(platform, "vnf-vpn");
        Catalog.nsd(platform, alice, Files.readString(platform.root.resolve("deploy/demo/vpn-gateway-nsd.yaml")));
        nsId = nfvo(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "vpn-gateway", "nsName", "office"))
                .post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");
        String request = Files.readString(platform.root.resolve("deploy/demo/instantiate-vpn.json"));
        assertThat(request).contains(PSK);
        String location = nfvo(alice).contentType(ContentType.JSON).body(request)
                .post("/nslcm/v2/ns_instances/" + nsId + "/instantiate").then().statusCode(202).extract()
                .header("Location");
        NatLabEndToEndIT.awaitNsOpAs(alice, platform, location);
        vnfId = nfvo(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract()
                .path("vnfInstance[0].id");

        Result lab = nfv("lab", "up", nsId);
        assertThat(lab.exit()).as("./nfv lab up:\n%s", lab.output()).isZero();
        startTheOffice();
    }

    @AfterAll
    static void takeEverythingDown() throws Exception {
        if (platform == null) {
            return;
        }
        try {
            if (office != null) {
                office.close();
            }
            servers.forEach(VpnEndToEndIT::stop);
            NatLabEndToEndIT.labDownAndTerminate(platform, runDir, alice, nsId);
        } finally {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void strongSwanInitiatesAndPingAndCurlGoBothWaysThroughTheTunnel() throws Exception {
        String initiate = office.swanctl("--initiate", "--child", "vpc", "--timeout", "30");
        assertThat(initiate).as(initiate).contains("initiate completed successfully");
        String sas = office.swanctl("--list-sas");
        assertThat(sas).contains("ESTABLISHED", "INSTALLED", PUBLIC_IP);

        Result toOffice = Commands.inNamespace(VPC, "ping", "-c", "3", "-i", "0.2", "-W", "2", OFFICE_HOST);
        assertThat(toOffice.exit()).as(toOffice.output()).isZero();
        Result toVpc = Commands.inNamespace(OFFICE, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-I", OFFICE_HOST,
                VPC_HOST);
        assertThat(toVpc.exit()).as(toVpc.output()).isZero();

        Result page = Commands.inNamespace(VPC, "curl", "-sS", "--fail-with-body", "-m", "10",
                "http://" + OFFICE_HOST + ":8080/office.txt");
        assertThat(page.exit()).as(page.output()).isZero();
        assertThat(page.output()).contains("the office's intranet");
        Result back = Commands.inNamespace(OFFICE, "curl", "-sS", "--fail-with-body", "-m", "10", "--interface",
                OFFICE_HOST, "http://" + VPC_HOST + ":8080/vpc.txt");
        assertThat(back.exit()).as(back.output()).isZero();
        assertThat(back.output()).contains("a host in the VPC");
    }

    @Test
    @Order(2)
    void theChildAndTheIkeSaAreRekeyedUnderAPingStreamThatLosesNothing() throws Exception {
        String before = office.swanctl("--list-sas");
        Path report = runDir.resolve("vpn-rekey-ping.txt");
        Process ping = new ProcessBuilder(Commands.namespace(VPC, "ping", "-c", "120", "-i", "0.05", "-W", "2",
                OFFICE_HOST)).redirectErrorStream(true).redirectOutput(report.toFile()).start();
        try {
            assertThat(office.swanctl("--rekey", "--child", "vpc")).contains("rekey completed successfully");
            assertThat(office.swanctl("--rekey", "--ike", "vpc")).contains("rekey completed successfully");
            assertThat(ping.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            ping.destroyForcibly();
        }
        String output = Files.readString(report);
        Matcher loss = LOSS.matcher(output);
        assertThat(loss.find()).as(output).isTrue();
        assertThat(loss.group(2)).as("echo replies of %s requests:\n%s", loss.group(1), output)
                .isEqualTo(loss.group(1));
        String after = office.swanctl("--list-sas");
        assertThat(spis(after)).as("new SPIs after the rekeys:\n%s\nbefore:\n%s", after, before)
                .doesNotContainAnyElementsOf(spis(before));
        // and the tunnel carries traffic on the new SAs
        Result again = Commands.inNamespace(VPC, "curl", "-sS", "--fail-with-body", "-m", "10",
                "http://" + OFFICE_HOST + ":8080/office.txt");
        assertThat(again.exit()).as(again.output()).isZero();
    }

    @Test
    @Order(3)
    void thePreSharedKeyIsInNoAnswerAndTheTunnelIsVisibleOnTheVnf() {
        String ns = nfvo(alice).get("/nslcm/v2/ns_instances/" + nsId).then().statusCode(200).extract().asString();
        String ops = nfvo(alice).get("/nslcm/v2/ns_lcm_op_occs").then().statusCode(200).extract().asString();
        String vnf = vnfm(alice).get("/vnflcm/v2/vnf_instances/" + vnfId).then().statusCode(200).extract()
                .asString();
        String vnfOps = vnfm(alice).get("/vnflcm/v2/vnf_lcm_op_occs").then().statusCode(200).extract().asString();
        for (String body : List.of(ns, ops, vnf, vnfOps)) {
            assertThat(body).doesNotContain(PSK).doesNotContain("\"psk\"");
        }
        assertThat(vnf).contains("\"peerAddress\":\"" + OFFICE_ROUTER + "\"");
        String indicators = given().baseUri(platform.url("vnfm")).auth().oauth2(alice).header("Version", "1.3.0")
                .get("/vnfind/v1/indicators/" + vnfId).then().statusCode(200).extract().asString();
        assertThat(indicators).contains("ESTABLISHED");
    }

    // ---------------------------------------------------------------- the office

    /** charon in the lab's server namespace, the office's host 172.16.1.1 on its loopback; an HTTP server each side. */
    static void startTheOffice() throws Exception {
        Commands.run("ip", "-n", OFFICE, "link", "set", "lo", "up");
        Result address = Commands.run("ip", "-n", OFFICE, "addr", "add", OFFICE_HOST + "/32", "dev", "lo");
        assertThat(address.exit()).as(address.output()).isZero();
        Path dir = runDir.resolve("office");
        office = StrongSwanOffice.start(OFFICE, dir, OFFICE_ROUTER, PUBLIC_IP, PSK, "172.16.1.0/24", "10.0.0.0/24");

        Path officeWww = Files.createDirectories(dir.resolve("www-office"));
        Files.writeString(officeWww.resolve("office.txt"), "the office's intranet\n");
        Path vpcWww = Files.createDirectories(dir.resolve("www-vpc"));
        Files.writeString(vpcWww.resolve("vpc.txt"), "a host in the VPC\n");
        servers.add(httpServer(OFFICE, OFFICE_HOST, officeWww));
        servers.add(httpServer(VPC, VPC_HOST, vpcWww));
    }

    static Process httpServer(String namespace, String address, Path directory) throws Exception {
        Process server = new ProcessBuilder(Commands.namespace(namespace, "python3", "-m", "http.server", "--bind",
                address, "--directory", directory.toString(), "8080")).redirectErrorStream(true)
                .redirectOutput(directory.resolveSibling(directory.getFileName() + ".log").toFile()).start();
        await("an HTTP server on " + address).atMost(Duration.ofSeconds(20)).until(() -> Commands.inNamespace(
                namespace, "ss", "-Htln", "src", address + ":8080").output().contains(":8080"));
        return server;
    }

    /** The SPIs swanctl lists (each CHILD_SA's in and out, each IKE_SA's). */
    static List<String> spis(String listing) {
        List<String> spis = new ArrayList<>();
        Matcher m = Pattern.compile("(?:SPIs|in|out)\\s+([0-9a-f]{8,16})").matcher(listing);
        while (m.find()) {
            spis.add(m.group(1));
        }
        return spis;
    }

    static void stop(Process process) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static RequestSpecification nfvo(String token) {
        return given().baseUri(platform.url("nfvo")).auth().oauth2(token).header("Version", "2.0.0");
    }

    static RequestSpecification vnfm(String token) {
        return given().baseUri(platform.url("vnfm")).auth().oauth2(token).header("Version", "2.0.0");
    }

    /** {@code ./nfv} of this repository, pointed at the test's platform, its lab in e2e/target/lab-run. */
    static Result nfv(String... args) {
        return Commands.nfv(platform, runDir, args);
    }
}
