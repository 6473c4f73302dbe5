package io.isthmus.vnf.cen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.isthmus.control.Ipv4Addresses;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.TableRoute.NextHop;
import io.isthmus.vnf.catalog.ConfigSchema;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.ExtCp;
import io.isthmus.vnf.catalog.PackagedCsars;
import io.isthmus.vnf.catalog.Vdu;
import io.isthmus.vnf.catalog.VduRole;
import io.isthmus.vnf.catalog.VnfPackage;
import io.isthmus.vnf.cen.CenConfig.Kind;

/** The CEN's configuration: what the policy takes and refuses, and that its package's JSON Schema agrees. */
class CenConfigTest {

    /** docs/cen.md's example, with the next hops the NFVO fills in. */
    static final String EXAMPLE = """
            {"routerAddress":"169.254.0.1",
             "attachment1NextHop":"198.51.100.2:4789","attachment2NextHop":"198.51.100.6:4789",
             "attachment3NextHop":"198.51.100.10:4789",
             "attachments":[
               {"name":"vpcA","kind":"vpc","vni":100,"connectionPoint":"attachment1","cidrs":["10.0.0.0/24"]},
               {"name":"vpcB","kind":"vpc","vni":300,"connectionPoint":"attachment2","cidrs":["10.1.0.0/24"]},
               {"name":"office","kind":"vpn","vni":400,"connectionPoint":"attachment2","cidrs":["172.16.1.0/24"]},
               {"name":"dc","kind":"router","vni":500,"connectionPoint":"attachment3",
                "bgp":{"peerAddress":"203.0.113.130","peerAs":65001,"localAs":4200000001,"holdTime":30,"port":1179}}],
             "routeTables":[
               {"name":"main","associations":["vpcA","vpcB","office","dc"],
                "propagations":["vpcA","vpcB","office","dc"],
                "staticRoutes":[{"prefix":"0.0.0.0/0","attachments":["dc"]},
                                {"prefix":"10.9.0.0/16","blackhole":true},
                                {"prefix":"192.168.0.0/16","attachments":["vpcA","vpcB"],"metric":10}]}]}""";

    private final ObjectMapper json = new ObjectMapper();
    private final byte[] csar = PackagedCsars.load("vnf-cen");
    private final VnfPackage pkg = CsarReader.read(csar);
    private final ConfigSchema schema = ConfigSchema.of(pkg, csar);

    @Test
    void theExampleReadsAsTheUserWroteIt() throws Exception {
        CenConfig config = CenConfig.from(json.readTree(EXAMPLE));

        assertThat(Ipv4Addresses.format(config.routerAddress())).isEqualTo("169.254.0.1");
        assertThat(config.icmpErrorsPerSecond()).isEqualTo(100);
        assertThat(config.attachments()).extracting(CenConfig.Attachment::name, CenConfig.Attachment::kind,
                CenConfig.Attachment::vni, CenConfig.Attachment::nextHops).containsExactly(
                        tuple("vpcA", Kind.VPC, 100,
                                List.of(new NextHop(100, Ipv4Addresses.parse("198.51.100.2"), 4789))),
                        tuple("vpcB", Kind.VPC, 300,
                                List.of(new NextHop(300, Ipv4Addresses.parse("198.51.100.6"), 4789))),
                        tuple("office", Kind.VPN, 400,
                                List.of(new NextHop(400, Ipv4Addresses.parse("198.51.100.6"), 4789))),
                        tuple("dc", Kind.ROUTER, 500,
                                List.of(new NextHop(500, Ipv4Addresses.parse("198.51.100.10"), 4789))));
        CenConfig.Bgp bgp = config.attachment("dc").bgp();
        assertThat(bgp.localAs()).isEqualTo(4_200_000_001L);
        assertThat(bgp.peerAs()).isEqualTo(65001);
        assertThat(bgp.holdTime()).isEqualTo(30);
        assertThat(bgp.port()).isEqualTo(1179);
        CenConfig.RouteTable main = config.routeTables().getFirst();
        assertThat(main.staticRoutes()).extracting(r -> r.prefix().toString(), CenConfig.StaticRoute::blackhole,
                CenConfig.StaticRoute::metric).containsExactly(tuple("0.0.0.0/0", false, 0),
                        tuple("10.9.0.0/16", true, 0), tuple("192.168.0.0/16", false, 10));
        assertThat(schema.violations(json.readTree(EXAMPLE))).isEmpty();
    }

    @Test
    void aConnectionPointMayBeTheNextVnfsIngressEachEndpointANextHop() throws Exception {
        ObjectNode config = example();
        config.set("attachment1NextHop", json.readTree("""
                {"hash":"rendezvous-v1","endpoints":[{"vnfcId":"fastpath-0","address":"127.0.0.1:41001"},
                 {"vnfcId":"fastpath-1","address":"127.0.0.1:41002"}]}"""));
        config.set("attachment2NextHop", json.readTree("{\"hash\":\"rendezvous-v1\",\"endpoints\":[]}"));

        CenConfig read = CenConfig.from(config);

        assertThat(schema.violations(config)).isEmpty();
        assertThat(read.attachment("vpcA").nextHops()).containsExactly(
                new NextHop(100, Ipv4Addresses.parse("127.0.0.1"), 41001),
                new NextHop(100, Ipv4Addresses.parse("127.0.0.1"), 41002));
        assertThat(read.attachment("vpcB").nextHops()).isEmpty();
        assertThat(read.attachment("vpcB").nextHop().isWired()).isFalse();
    }

    @Test
    void bgpDefaultsAreHoldTime90AndPort179() throws Exception {
        ObjectNode config = example();
        ObjectNode bgp = (ObjectNode) config.at("/attachments/3/bgp");
        bgp.remove("holdTime");
        bgp.remove("port");

        CenConfig.Bgp read = CenConfig.from(config).attachment("dc").bgp();

        assertThat(read.holdTime()).isEqualTo(90);
        assertThat(read.port()).isEqualTo(179);
        assertThat(schema.violations(config)).isEmpty();
    }

    @Test
    void theSchemaAndThePolicyRefuseTheSameMistakes() throws Exception {
        String[][] changes = {
                {"/", "routerAddress", "\"127.0.0.1\""},
                {"/", "attachments", "[]"},
                {"/", "routeTables", "[]"},
                {"/", "icmpErrorsPerSecond", "-1"},
                {"/", "attachment1NextHop", "\"198.51.100.2\""},
                {"/", "attachment1NextHop", "{\"hash\":\"rendezvous-v1\",\"endpoints\":[{\"vnfcId\":\"\","
                        + "\"address\":\"127.0.0.1:41001\"}]}"},
                {"/", "attachment1NextHop", "{\"hash\":\"maglev\",\"endpoints\":[]}"},
                {"/", "attachment1NextHop", "{\"hash\":\"rendezvous-v1\",\"endpoints\":[{\"vnfcId\":\"f\","
                        + "\"address\":\"127.0.0.1\"}]}"},
                {"/attachments/0", "vni", "16777216"},
                {"/attachments/0", "kind", "\"vlan\""},
                {"/attachments/0", "connectionPoint", "\"attachment9\""},
                {"/attachments/0", "cidrs", "[\"10.0.0.0/33\"]"},
                {"/attachments/0", "cidrs", "[]"},
                {"/attachments/0", "name", "\"a b\""},
                {"/attachments/0", "colour", "\"red\""},
                {"/attachments/0", "bgp", "{\"peerAddress\":\"203.0.113.9\",\"peerAs\":1,\"localAs\":2}"},
                {"/attachments/3", "cidrs", "[\"10.5.0.0/16\"]"},
                {"/attachments/3/bgp", "peerAs", "0"},
                {"/attachments/3/bgp", "localAs", "4294967296"},
                {"/attachments/3/bgp", "holdTime", "2"},
                {"/attachments/3/bgp", "port", "0"},
                {"/attachments/3/bgp", "peerAddress", "\"224.0.0.5\""},
                {"/routeTables/0", "propagation", "[\"vpcA\"]"},
                {"/routeTables/0/staticRoutes/0", "attachments", "[]"},
                {"/routeTables/0/staticRoutes/0", "blackhole", "true"},
                {"/routeTables/0/staticRoutes/0", "metric", "65536"},
                {"/routeTables/0/staticRoutes/0", "prefix", "\"0.0.0.0\""},
                {"/routeTables/0/staticRoutes/2", "attachments", "[\"vpcA\",\"vpcA\"]"},
                {"/routeTables/0/staticRoutes/2", "attachments", seventeen()},
        };
        for (String[] change : changes) {
            ObjectNode config = example();
            ((ObjectNode) config.at(change[0].equals("/") ? "" : change[0])).set(change[1], json.readTree(change[2]));
            String what = change[0] + " " + change[1] + "=" + change[2];

            assertThat(schema.violations(config)).as(what).isNotEmpty();
            assertThatThrownBy(() -> CenConfig.from(config)).as(what).isInstanceOf(InvalidConfigException.class);
        }
        ObjectNode noNextHop = example();
        noNextHop.remove("attachment3NextHop");
        assertThat(schema.violations(noNextHop)).as("an attachment's connection point without a next hop")
                .isNotEmpty();
        assertThatThrownBy(() -> CenConfig.from(noNextHop)).isInstanceOf(InvalidConfigException.class);
        ObjectNode unusedPoint = example();
        unusedPoint.remove("attachment3NextHop");
        ((ArrayNode) unusedPoint.get("attachments")).remove(3);
        ((ArrayNode) unusedPoint.at("/routeTables/0/associations")).remove(3);
        ((ArrayNode) unusedPoint.at("/routeTables/0/propagations")).remove(3);
        ((ArrayNode) unusedPoint.at("/routeTables/0/staticRoutes")).remove(0);
        assertThat(schema.violations(unusedPoint)).as("a connection point no attachment uses needs none").isEmpty();
        assertThat(CenConfig.from(unusedPoint).attachments()).hasSize(3);

        ObjectNode noBgp = example();
        ((ObjectNode) noBgp.at("/attachments/3")).remove("bgp");
        assertThat(schema.violations(noBgp)).isNotEmpty();
        assertThatThrownBy(() -> CenConfig.from(noBgp)).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void whatOnlyThePolicyCanSeeIsRefusedWithAProblemNamingIt() throws Exception {
        assertRefused(c -> ((ObjectNode) c.at("/attachments/0")).put("cidrs", (String) null).set("cidrs",
                json.createArrayNode().add("10.0.0.1/24")), "attachments[0] (vpcA).cidrs[0]: host bits set in"
                        + " 10.0.0.1/24 (the network is 10.0.0.0/24)");
        assertRefused(c -> ((ObjectNode) c.at("/attachments/1")).put("vni", 100),
                "attachments[1] (vpcB).vni 100 is the VNI of vpcA too");
        assertRefused(c -> ((ArrayNode) c.at("/routeTables/0/associations")).add("nowhere"),
                "routeTables[0] (main).associations[4] names no attachment: nowhere");
        assertRefused(c -> ((ArrayNode) c.at("/routeTables/0/propagations")).add("ghost"),
                "routeTables[0] (main).propagations[4] names no attachment: ghost");
        assertRefused(c -> ((ArrayNode) c.get("routeTables")).addObject().put("name", "second")
                .putArray("associations").add("vpcA"),
                "routeTables[1] (second).associations: vpcA is associated with route table main already");
        assertRefused(c -> ((ArrayNode) c.at("/routeTables/0/associations")).remove(1),
                "attachment vpcB is associated with no route table");
        assertRefused(c -> c.remove("attachment3NextHop"),
                "attachments[3] (dc): connection point attachment3 has no next hop: attachment3NextHop is missing");
        assertRefused(c -> ((ArrayNode) c.at("/routeTables/0/staticRoutes")).addObject().put("prefix", "0.0.0.0/0")
                .putArray("attachments").add("vpcA"), "repeats 0.0.0.0/0 metric 0 of staticRoutes[0]");
        assertRefused(c -> ((ArrayNode) c.get("attachments")).addObject().put("name", "dc2").put("kind", "router")
                .put("vni", 600).put("connectionPoint", "attachment3").set("bgp", c.at("/attachments/3/bgp")),
                "attachments[4] (dc2).bgp.peerAddress 203.0.113.130:1179 is the peer of dc too");
        assertRefused(c -> ((ObjectNode) c.at("/routeTables/0/staticRoutes/0")).putArray("attachments").add("mars"),
                "staticRoutes[0].attachments[0] names no attachment: mars");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        ObjectNode config = example();
        config.put("routerAddress", "0.0.0.1");
        ((ObjectNode) config.at("/attachments/0")).put("vni", -1);
        ((ArrayNode) config.at("/routeTables/0/propagations")).add("ghost");

        assertThatThrownBy(() -> CenConfig.from(config)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.problems()).hasSize(3));
    }

    @Test
    void aStaticRouteMayBeFloatingBehindAnotherOfTheSamePrefix() throws Exception {
        ObjectNode config = example();
        ((ArrayNode) config.at("/routeTables/0/staticRoutes")).addObject().put("prefix", "0.0.0.0/0").put("metric", 100)
                .putArray("attachments").add("vpcB");

        assertThat(CenConfig.from(config).routeTables().getFirst().staticRoutes()).hasSize(4);
        assertThat(schema.violations(config)).isEmpty();
    }

    @Test
    void packageDeclaresTheCenTypeOneSlowpathAndFastpathsThatScaleToFour() {
        assertThat(pkg.vnfdId()).isEqualTo("isthmus-cen-1.0");
        assertThat(pkg.vnfType()).isEqualTo(CenPolicy.VNF_TYPE);
        assertThat(pkg.productName()).isEqualTo("isthmus-cen");
        assertThat(pkg.vdus()).extracting(Vdu::id, Vdu::role, Vdu::minInstances, Vdu::maxInstances)
                .containsExactly(tuple("slowpath", VduRole.SLOWPATH, 1, 1), tuple("fastpath", VduRole.FASTPATH, 1, 4));
        assertThat(pkg.vdus()).extracting(Vdu::id, Vdu::initialInstances)
                .containsExactly(tuple("slowpath", 1), tuple("fastpath", 2));
        assertThat(pkg.scalingAspects()).hasSize(1);
    }

    @Test
    void eachConnectionPointFillsTheNextHopKeyTheAttachmentsReferTo() {
        assertThat(pkg.extCps()).extracting(ExtCp::id, ExtCp::nextHopParam).containsExactlyElementsOf(
                CenConfig.CONNECTION_POINTS.stream().map(cp -> tuple(cp, cp + CenConfig.NEXT_HOP_SUFFIX)).toList());
    }

    private void assertRefused(Edit edit, String problem) throws Exception {
        ObjectNode config = example();
        edit.apply(config);
        assertThatThrownBy(() -> CenConfig.from(config)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(problem)));
    }

    @FunctionalInterface
    private interface Edit {
        void apply(ObjectNode config) throws Exception;
    }

    private ObjectNode example() throws Exception {
        return (ObjectNode) json.readTree(EXAMPLE);
    }

    private static String seventeen() {
        List<String> names = java.util.stream.IntStream.range(0, 17).mapToObj(i -> "\"n" + i + "\"").toList();
        return "[" + String.join(",", names) + "]";
    }

    static JsonNode parse(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
