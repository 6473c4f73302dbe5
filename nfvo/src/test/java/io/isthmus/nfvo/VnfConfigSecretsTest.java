package io.isthmus.nfvo;

import static io.isthmus.nfvo.NfvoApiTest.NSLCM;
import static io.isthmus.nfvo.NfvoApiTest.as;
import static io.isthmus.nfvo.NfvoApiTest.fake;
import static io.isthmus.nfvo.NfvoApiTest.get;
import static io.isthmus.nfvo.NfvoApiTest.post;
import static io.isthmus.nfvo.NsLcmOperationsTest.awaitState;
import static io.isthmus.nfvo.NsLcmOperationsTest.start;
import static io.isthmus.nfvo.NsLcmOperationsTest.taskRequests;
import static io.isthmus.nfvo.NsLcmOperationsTest.vnfIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.isthmus.sol.testing.EtsiSchemas;
import io.isthmus.vnf.catalog.CsarBuilder;
import io.isthmus.vnf.catalog.PackagedCsars;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Secrets in the VNF configurations an NS request carries (contracts.md): the values the VNF package's schema marks
 * {@code writeOnly} reach the VNFM and nothing else: no NS operation shows them, no log line, no row in the clear.
 */
@QuarkusTest
@QuarkusTestResource(value = FakePeers.class, restrictToAnnotatedClass = true)
class VnfConfigSecretsTest {

    private static final String VNFD_ID = "isthmus-nat-secrets";
    private static final String PSK = "office-psk-Nf41qA";
    private static final String TOKEN = "console-token-Nz77";
    private static final String NEW_TOKEN = "console-token-Nw08";
    /** The properties the test package adds to the NAT's configuration schema: two secrets. */
    private static final String SECRET_PROPERTIES = """
            "adminKeys": {"type": "array", "items": {"type": "object", "required": ["name", "psk"],
              "properties": {"name": {"type": "string"}, "psk": {"type": "string", "writeOnly": true}}}},
            "adminConsole": {"type": "object", "properties": {"user": {"type": "string"},
              "token": {"type": "string", "writeOnly": true}}},
            """;

    @Inject
    EntityManager em;

    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            Object[] params = record.getParameters();
            synchronized (logged) {
                logged.add(record.getMessage() + (params == null ? "" : List.of(params).toString())
                        + (record.getThrown() == null ? "" : record.getThrown().toString()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void noSecretLogged() {
        Logger.getLogger("").removeHandler(capture);
        synchronized (logged) {
            assertThat(logged).as("log lines").isNotEmpty()
                    .noneMatch(l -> l.contains(PSK) || l.contains(TOKEN) || l.contains(NEW_TOKEN));
        }
    }

    @Test
    void secretsReachTheVnfmOnlyAndAreNeitherShownNorStoredInTheClear() {
        // Given a VNF package whose configuration schema marks adminKeys[].psk and adminConsole.token writeOnly
        post(fake() + "/control/vnf-op-outcome", "COMPLETED");
        onboardedSecretsPackage();
        String alice = Tokens.user("alice");
        String nsdInfoId = as(alice).contentType(ContentType.JSON).body("{}").post("/nsd/v2/ns_descriptors").then()
                .statusCode(201).extract().path("id");
        as(alice).contentType(ContentType.TEXT).body(NfvoApiTest.NSD.formatted("ns-with-secrets", "ns-with-secrets")
                .replace("descriptor_id: isthmus-nat-1.0", "descriptor_id: " + VNFD_ID))
                .put("/nsd/v2/ns_descriptors/" + nsdInfoId + "/nsd_content").then().statusCode(202);
        String nsId = as(alice).contentType(ContentType.JSON).body(Map.of("nsdId", "ns-with-secrets", "nsName",
                "office")).post("/nslcm/v2/ns_instances").then().statusCode(201).extract().path("id");

        // When the tenant instantiates the NS with the VNF's secrets
        Map<String, Object> config = new HashMap<>(NfvoApiTest.NAT_CONFIG);
        config.put("adminKeys", List.of(Map.of("name", "office", "psk", PSK)));
        config.put("adminConsole", Map.of("user", "ops", "token", TOKEN));
        String op = start(alice, nsId, "instantiate", Map.of("nsFlavourId", "default", "additionalParamsForVnf",
                List.of(Map.of("vnfProfileId", "nat", "additionalParams", config))));
        awaitState(alice, op, "COMPLETED");

        // Then the VNFM was asked to instantiate the VNF with them, in the clear
        List<Object> bodies = JsonPath.from(get(fake() + "/control/instantiate-bodies")).getList("$");
        assertThat(bodies).map(String::valueOf).anyMatch(b -> b.contains(PSK) && b.contains(TOKEN));

        // and the NS operation shows the VNF's configuration without them
        String shown = as(alice).get(op).asString();
        EtsiSchemas.assertValid(shown, NSLCM, "NsLcmOpOcc.schema.json", "/operationParams");
        assertThat(JsonPath.from(shown).getString("operationParams.additionalParamsForVnf[0].additionalParams"
                + ".adminKeys[0].name")).isEqualTo("office");
        assertThat(JsonPath.from(shown).getMap("operationParams.additionalParamsForVnf[0].additionalParams"
                + ".adminConsole")).containsEntry("user", "ops").doesNotContainKey("token");
        assertNoSecret(shown);
        assertNoSecret(as(alice).queryParam("filter", "(eq,nsInstanceId," + nsId + ")")
                .get("/nslcm/v2/ns_lcm_op_occs").asString());
        assertNoSecret(as(alice).get("/nslcm/v2/ns_instances/" + nsId).asString());

        // and the database holds them sealed
        String opId = op.substring(op.lastIndexOf('/') + 1);
        assertThat(row("select operation_params from ns_lcm_op_occ where id = ?1", opId))
                .contains("$encrypted", "v1:").contains("office").doesNotContain(PSK, TOKEN);
        assertThat(row("select string_agg(additional_params, ' ') from ns_vnf where ns_instance_id = ?1", nsId))
                .contains("$encrypted", "v1:").doesNotContain(PSK, TOKEN);

        // When an update changes one of the VNF's secrets
        String vnf = vnfIds(alice, nsId).get(0);
        String update = start(alice, nsId, "update", Map.of("updateType", "MODIFY_VNF_INFORMATION",
                "modifyVnfInfoData", List.of(Map.of("vnfInstanceId", vnf, "vnfConfigurableProperties",
                        Map.of("adminConsole", Map.of("token", NEW_TOKEN))))));
        awaitState(alice, update, "COMPLETED");

        // Then the VNFM gets the PATCH with it in the clear (the VNFM keeps the secrets it does not name)
        assertThat(taskRequests(vnf)).last().satisfies(r -> assertThat(r.get("body")).isEqualTo(Map.of(
                "vnfConfigurableProperties", Map.of("adminConsole", Map.of("token", NEW_TOKEN)))));
        // and neither the operation nor the rows show it
        assertNoSecret(as(alice).get(update).asString());
        String updateId = update.substring(update.lastIndexOf('/') + 1);
        assertThat(row("select operation_params from ns_lcm_op_occ where id = ?1", updateId))
                .contains("$encrypted").doesNotContain(NEW_TOKEN);
        assertThat(row("select coalesce(string_agg(task_body, ' '), '') from ns_vnf where ns_instance_id = ?1", nsId))
                .doesNotContain(NEW_TOKEN);

        // and a client cannot hand in the stored form
        as(alice).contentType(ContentType.JSON).body(Map.of("updateType", "MODIFY_VNF_INFORMATION",
                "modifyVnfInfoData", List.of(Map.of("vnfInstanceId", vnf, "vnfConfigurableProperties",
                        Map.of("adminConsole", Map.of("token", Map.of("$encrypted", "v1:AAAA")))))))
                .post("/nslcm/v2/ns_instances/" + nsId + "/update").then().statusCode(422)
                .body("detail", containsString("$encrypted"));
    }

    private String row(String sql, String id) {
        return QuarkusTransaction.requiringNew().call(() -> String.valueOf(em.createNativeQuery(sql)
                .setParameter(1, id).getSingleResult()));
    }

    private static void assertNoSecret(String body) {
        assertThat(body).doesNotContain(PSK, TOKEN, NEW_TOKEN, "$encrypted");
    }

    /** The NAT's package as a package of its own ({@value #VNFD_ID}) whose schema has secrets. */
    private static void onboardedSecretsPackage() {
        String operator = Tokens.user("oscar");
        List<String> ids = as(operator).queryParam("filter", "(eq,vnfdId," + VNFD_ID + ")")
                .get("/vnfpkgm/v2/vnf_packages").then().statusCode(200).extract().path("id");
        if (!ids.isEmpty()) {
            return;
        }
        String id = as(operator).contentType(ContentType.JSON).body("{}").post("/vnfpkgm/v2/vnf_packages").then()
                .statusCode(201).extract().path("id");
        as(operator).contentType("application/zip").body(secretsCsar())
                .put("/vnfpkgm/v2/vnf_packages/" + id + "/package_content").then().statusCode(202);
    }

    private static byte[] secretsCsar() {
        Map<String, byte[]> files = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(PackagedCsars.load("vnf-nat")))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                files.put(e.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String manifest = "isthmus-nat.mf";
        String head = text(files.get(manifest));
        int sources = head.indexOf("\nSource:"); // the manifest as written, before the builder listed the digests
        files.put(manifest, rename(sources < 0 ? head : head.substring(0, sources)).getBytes(StandardCharsets.UTF_8));
        String vnfd = "Definitions/isthmus_nat_vnfd.yaml";
        files.put(vnfd, rename(text(files.get(vnfd))).getBytes(StandardCharsets.UTF_8));
        String schema = "Definitions/isthmus_nat_config.schema.json";
        files.put(schema, text(files.get(schema)).replaceFirst("\"properties\": \\{",
                "\"properties\": {" + Matcher.quoteReplacement(SECRET_PROPERTIES)).getBytes(StandardCharsets.UTF_8));
        return CsarBuilder.of(files).build();
    }

    private static String rename(String text) {
        return text.replace("descriptor_id: isthmus-nat-1.0", "descriptor_id: " + VNFD_ID)
                .replace("product_name: isthmus-nat", "product_name: isthmus-nat-secrets");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
