package io.isthmus.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.isthmus.vnf.catalog.CsarBuilder;
import io.isthmus.vnf.catalog.PackagedCsars;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** What comes before an order in the end-to-end tests: an operator on-boards a VNF package, a tenant writes an NSD. */
public final class Catalog {

    private Catalog() {
    }

    private static RequestSpecification nfvo(Platform platform, String token) {
        return given().baseUri(platform.url("nfvo")).auth().oauth2(token).header("Version", "2.0.0");
    }

    /** The operator on-boards the package {@code module}'s build made (e.g. {@code vnf-nat}); its id. */
    static String onboard(Platform platform, String module) {
        return onboard(platform, PackagedCsars.load(module));
    }

    /** The operator on-boards this CSAR; the package's id. */
    static String onboard(Platform platform, byte[] csar) {
        String operator = NatGatewayEndToEndIT.token("oscar");
        String pkgId = nfvo(platform, operator).contentType(ContentType.JSON).body("{}")
                .post("/vnfpkgm/v2/vnf_packages").then().statusCode(201).extract().path("id");
        nfvo(platform, operator).contentType("application/zip").body(csar)
                .put("/vnfpkgm/v2/vnf_packages/" + pkgId + "/package_content").then().statusCode(202);
        nfvo(platform, operator).get("/vnfpkgm/v2/vnf_packages/" + pkgId).then()
                .body("onboardingState", equalTo("ONBOARDED"));
        return pkgId;
    }

    /**
     * A newer NAT package: the NAT's CSAR with its VNFD id and software version changed, built again by vnf-catalog's
     * CsarBuilder (the manifest's digests made anew).
     */
    static byte[] natVersion(String vnfdId, String version) {
        Map<String, byte[]> files = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(PackagedCsars.load("vnf-nat")))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                files.put(e.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UnaryOperator<String> edit = text -> text.replace("descriptor_id: isthmus-nat-1.0", "descriptor_id: " + vnfdId)
                .replace("software_version: \"1.0\"", "software_version: \"" + version + "\"");
        String manifest = "isthmus-nat.mf";
        String head = new String(files.get(manifest), StandardCharsets.UTF_8);
        // the manifest as written, before the builder listed the files with their digests
        int sources = head.indexOf("\nSource:");
        files.put(manifest,
                edit.apply(sources < 0 ? head : head.substring(0, sources)).getBytes(StandardCharsets.UTF_8));
        String vnfd = "Definitions/isthmus_nat_vnfd.yaml";
        files.put(vnfd,
                edit.apply(new String(files.get(vnfd), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        return CsarBuilder.of(files).build();
    }

    /** An NSD of one NAT gateway between the NS's endpoints {@code vpc} and {@code internet}. */
    public static String natNsd(String descriptorId, String name) {
        return oneVnfNsd(descriptorId, name, "nat", "isthmus.nodes.nfv.Nat", "isthmus-nat-1.0", "inside", "vpc",
                "outside", "internet");
    }

    /** An NSD of one server load balancer between the NS's endpoints {@code clients} and {@code vpc}. */
    public static String slbNsd(String descriptorId, String name) {
        return oneVnfNsd(descriptorId, name, "slb", "isthmus.nodes.nfv.Slb", "isthmus-slb-1.0", "frontend", "clients",
                "backend", "vpc");
    }

    /** An NSD of one VNF (profile {@code profile}) whose two external connection points meet one SAP each. */
    private static String oneVnfNsd(String descriptorId, String name, String profile, String type, String vnfdId,
            String cp1, String sap1, String cp2, String sap2) {
        return """
                tosca_definitions_version: tosca_simple_yaml_1_3
                topology_template:
                  node_templates:
                    ns:
                      type: tosca.nodes.nfv.NS
                      properties: {descriptor_id: %1$s, designer: acme, version: '1.0', name: %2$s, invariant_id: %1$s}
                    %3$s:
                      type: %4$s
                      properties: {descriptor_id: %5$s}
                      requirements: [ {%6$s: %7$s}, {%8$s: %9$s} ]
                    %7$s: {type: tosca.nodes.nfv.Sap}
                    %9$s: {type: tosca.nodes.nfv.Sap}
                """.formatted(descriptorId, name, profile, type, vnfdId, cp1, sap1, cp2, sap2);
    }

    /** The tenant of {@code token} writes an NSD; the id of its NsdInfo. */
    static String nsd(Platform platform, String token, String yaml) {
        String nsdInfoId = nfvo(platform, token).contentType(ContentType.JSON).body("{}")
                .post("/nsd/v2/ns_descriptors").then().statusCode(201).extract().path("id");
        nfvo(platform, token).contentType(ContentType.TEXT).body(yaml)
                .put("/nsd/v2/ns_descriptors/" + nsdInfoId + "/nsd_content").then().statusCode(202);
        return nsdInfoId;
    }
}
