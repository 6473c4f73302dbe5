package io.isthmus.vnf.vpn.csar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.vnf.catalog.ConfigSchema;
import io.isthmus.vnf.catalog.CsarReader;
import io.isthmus.vnf.catalog.ExtCp;
import io.isthmus.vnf.catalog.PackagedCsars;
import io.isthmus.vnf.catalog.Vdu;
import io.isthmus.vnf.catalog.VduRole;
import io.isthmus.vnf.catalog.VnfPackage;
import io.isthmus.vnf.vpn.VpnConfig;
import io.isthmus.vnf.vpn.VpnPolicy;

/** The VPN gateway's VNF package, as the build makes it from src/main/csar, against docs/vpn.md. */
class VpnPackageTest {

    /** docs/vpn.md's example, with the next hops the NFVO fills in. */
    static final String EXAMPLE = """
            {"publicAddress":"203.0.113.10","outsideVni":200,"outsideNextHop":"198.18.3.2:4789",
             "vpcVni":100,"vpcNextHop":"198.18.3.6:4789",
             "connections":[{"name":"office","peerAddress":"203.0.113.20","psk":"correct horse battery staple",
               "localPrefixes":["10.1.0.0/16"],"remotePrefixes":["172.20.0.0/24"]}]}""";

    private final ObjectMapper json = new ObjectMapper();
    private final byte[] csar = PackagedCsars.load("vnf-vpn");
    private final VnfPackage pkg = CsarReader.read(csar);

    @Test
    void packageDeclaresTheVpnTypeOneSlowpathAndOneFastpath() {
        assertThat(pkg.vnfdId()).isEqualTo("isthmus-vpn-1.0");
        assertThat(pkg.vnfType()).isEqualTo(VpnPolicy.VNF_TYPE);
        assertThat(pkg.productName()).isEqualTo("isthmus-vpn");
        assertThat(pkg.vdus()).extracting(Vdu::id, Vdu::role, Vdu::minInstances, Vdu::maxInstances)
                .containsExactly(tuple("slowpath", VduRole.SLOWPATH, 1, 1), tuple("fastpath", VduRole.FASTPATH, 1, 1));
        assertThat(pkg.scalingAspects()).isEmpty();
        assertThat(pkg.vdus()).extracting(Vdu::id, Vdu::initialInstances)
                .containsExactly(tuple("slowpath", 1), tuple("fastpath", 1));
    }

    @Test
    void outsideAndVpcAreConnectionPointsWhoseNextHopsTheNfvoFillsIn() {
        assertThat(pkg.extCps()).extracting(ExtCp::id, ExtCp::nextHopParam)
                .containsExactly(tuple("outside", "outsideNextHop"), tuple("vpc", "vpcNextHop"));
    }

    @Test
    void thePreSharedKeyIsWriteOnlyInTheSchema() throws Exception {
        JsonNode schema = json.readTree(entry("Definitions/isthmus_vpn_config.schema.json"));
        assertThat(schema.at("/properties/connections/items/properties/psk/writeOnly").asBoolean()).isTrue();
    }

    @Test
    void theSchemaAcceptsWhatThePolicyAcceptsEveryFieldIncluded() throws Exception {
        ObjectNode config = (ObjectNode) json.readTree(EXAMPLE);
        assertThat(ConfigSchema.of(pkg, csar).violations(config)).isEmpty();
        VpnConfig.Connection office = VpnConfig.from(config).connections().getFirst();
        assertThat(office.initiate()).isFalse();
        assertThat(office.ikeProposals()).containsExactly("aes128gcm16-prfsha256-ecp256");
        assertThat(office.espProposals()).containsExactly("aes128gcm16-esn", "aes128gcm16-noesn");
        assertThat(office.replayWindow()).isEqualTo(1024);

        ObjectNode every = (ObjectNode) json.readTree(EXAMPLE.replace("\"remotePrefixes\":[\"172.20.0.0/24\"]", """
                "remotePrefixes":["172.20.0.0/24","172.21.0.0/16"],"localId":"vpn.example.com",
                "remoteId":"203.0.113.20","initiate":true,
                "ikeProposals":["aes256gcm16-prfsha384-x25519","aes128gcm16-prfsha256-modp2048"],
                "espProposals":["aes256gcm16-ecp256-esn","aes128gcm16"],"ikeRekeySeconds":3600,
                "childRekeySeconds":600,"childRekeyBytes":1073741824,"dpdSeconds":10,"replayWindow":32768"""));
        assertThat(ConfigSchema.of(pkg, csar).violations(every)).isEmpty();
        VpnConfig.Connection parsed = VpnConfig.from(every).connections().getFirst();
        assertThat(parsed.initiate()).isTrue();
        assertThat(parsed.remotePrefixes()).hasSize(2);
        assertThat(parsed.childRekeyBytes()).isEqualTo(1L << 30);
        assertThat(parsed.hardByteLimit()).isGreaterThan(1L << 30);
        assertThat(parsed.toString()).doesNotContain("horse");

        every.set("vpcNextHop", json.readTree("""
                {"hash":"rendezvous-v1","endpoints":[{"vnfcId":"fastpath-0","address":"127.0.0.1:41001"}]}"""));
        every.set("outsideNextHop", json.readTree("{\"hash\":\"rendezvous-v1\",\"endpoints\":[]}"));
        assertThat(ConfigSchema.of(pkg, csar).violations(every)).isEmpty();
        assertThat(VpnConfig.from(every).outsideNextHop().isWired()).isFalse();
    }

    @Test
    void theSchemaRefusesWhatThePolicyRefuses() throws Exception {
        ConfigSchema schema = ConfigSchema.of(pkg, csar);
        String[][] changes = {{"outsideVni", "16777216"}, {"vpcNextHop", "\"127.0.0.1\""},
                {"vpcNextHop", "{\"hash\":\"rendezvous-v1\",\"endpoints\":[{\"vnfcId\":\"\","
                        + "\"address\":\"127.0.0.1:41001\"}]}"},
                {"publicAddress", "\"127.0.0.9\""}, {"connections", "[]"},
                {"psk", "\"short\""}, {"peerAddress", "\"224.0.0.1\""}, {"localPrefixes", "[]"},
                {"remotePrefixes", "[\"172.20.0.0/33\"]"}, {"remotePrefixes", "[\"172.20.0/24\"]"},
                {"ikeProposals", "[\"aes128-sha1-modp1024\"]"}, {"espProposals", "[\"aes128gcm8\"]"},
                {"replayWindow", "64"}, {"childRekeySeconds", "0"}, {"childRekeyBytes", "1000"},
                {"dpdSeconds", "-1"}, {"initiate", "\"yes\""}, {"name", "\"a b\""}};
        for (String[] change : changes) {
            ObjectNode config = (ObjectNode) json.readTree(EXAMPLE);
            ObjectNode target = change[0].equals("outsideVni") || change[0].equals("vpcNextHop")
                    || change[0].equals("publicAddress") || change[0].equals("connections")
                            ? config
                            : (ObjectNode) config.get("connections").get(0);
            target.set(change[0], json.readTree(change[1]));

            assertThat(schema.violations(config)).as(change[0] + "=" + change[1]).isNotEmpty();
            assertThatThrownBy(() -> VpnConfig.from(config)).as(change[0] + "=" + change[1])
                    .isInstanceOf(InvalidConfigException.class);
        }
    }

    @Test
    void aRefusedPreSharedKeyIsNeverQuotedInTheProblem() throws Exception {
        ObjectNode config = (ObjectNode) json.readTree(EXAMPLE);
        ((ObjectNode) config.get("connections").get(0)).put("psk", "tooshort-secret");

        assertThatThrownBy(() -> VpnConfig.from(config)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.problems()).singleElement().asString().contains("connections[0].psk")
                        .doesNotContain("tooshort-secret"));
    }

    private byte[] entry(String path) throws Exception {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(csar))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(path)) {
                    return zip.readAllBytes();
                }
            }
        }
        throw new AssertionError(path + " is not in the package");
    }
}
