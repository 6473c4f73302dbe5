package io.isthmus.vnfm.lifecycle;

import static io.isthmus.sol.testing.EtsiSchemas.assertValid;
import static io.isthmus.vnfm.support.Sol003.LCM_API;
import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static io.isthmus.vnfm.support.Sol003.opState;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.vnfm.fakes.FakeNfvo;
import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Secrets in VNF configurations (contracts.md): the values a VNF type's schema marks {@code writeOnly} reach the
 * slowpath, and nothing else: no API response, no log line, no database row in the clear; a change that does not name
 * one keeps it.
 */
@QuarkusTest
@WithTestResource(FakePeers.class)
class ConfigurationSecretsTest {

    private static final String SERVICE = Tokens.service();
    private static final String PSK = "office-psk-7Hq2xZ";
    private static final String TOKEN = "console-token-Kp93";
    private static final String NEW_TOKEN = "console-token-Rr51";

    @Inject
    EntityManager em;
    @Inject
    ObjectMapper json;

    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            Object[] params = record.getParameters();
            synchronized (logged) {
                logged.add(message + (params == null ? "" : List.of(params).toString())
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
            assertThat(logged).as("log lines").isNotEmpty().noneMatch(l -> l.contains(PSK) || l.contains(TOKEN)
                    || l.contains(NEW_TOKEN));
        }
    }

    private static Map<String, Object> config(String publicAddress) {
        Map<String, Object> config = new HashMap<>(Sol003.natConfig(publicAddress));
        config.put("adminKeys", List.of(Map.of("name", "office", "psk", PSK)));
        config.put("adminConsole", Map.of("user", "ops", "token", TOKEN));
        return config;
    }

    private static String created() {
        return as(SERVICE).body(Map.of("vnfdId", FakeNfvo.SECRETS_VNFD_ID, "vnfInstanceName", "with-secrets",
                "metadata", Map.of("tenant", "acme"))).post(ROOT + "/vnf_instances").then().statusCode(201)
                .extract().path("id");
    }

    private static String started(Response response) {
        response.then().statusCode(202);
        return Sol003.lastSegment(response.header("Location"));
    }

    private static void completed(String opId) {
        await().atMost(30, SECONDS).until(() -> "COMPLETED".equals(opState(SERVICE, opId)));
    }

    private String row(String sql, String id) {
        return QuarkusTransaction.requiringNew().call(() -> String.valueOf(em.createNativeQuery(sql)
                .setParameter(1, id).getSingleResult()));
    }

    private static JsonNode lastConfig() {
        return FakePeers.slowpath().configs().getLast();
    }

    @Test
    void secretsReachTheSlowpathOnlyAndAreNeitherShownNorStoredInTheClear() {
        // Given an instance of a VNF type whose schema marks adminKeys[].psk and adminConsole.token writeOnly
        String id = created();

        // When it is instantiated with them
        String opId = started(as(SERVICE).body(Map.of("flavourId", "default", "additionalParams",
                config("203.0.113.90"))).post(ROOT + "/vnf_instances/" + id + "/instantiate"));
        completed(opId);

        // Then the slowpath has them in the clear
        assertThat(lastConfig().path("adminKeys").get(0).path("psk").asText()).isEqualTo(PSK);
        assertThat(lastConfig().path("adminConsole").path("token").asText()).isEqualTo(TOKEN);

        // and the instance shows the configuration without them (SOL003: write-only attributes are not returned)
        Response instance = as(SERVICE).get(ROOT + "/vnf_instances/" + id);
        assertValid(instance.asString(), LCM_API, "vnfInstance.schema.json");
        assertThat(instance.<String>path("vnfConfigurableProperties.adminKeys[0].name")).isEqualTo("office");
        assertThat(instance.<Map<String, Object>>path("vnfConfigurableProperties.adminKeys[0]"))
                .doesNotContainKey("psk");
        assertThat(instance.<Map<String, Object>>path("vnfConfigurableProperties.adminConsole"))
                .containsEntry("user", "ops").doesNotContainKey("token");
        assertNoSecret(instance.asString());
        assertNoSecret(as(SERVICE).get(ROOT + "/vnf_instances").asString());

        // and so does its operation's operationParams, read or listed
        Response op = as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + opId);
        assertValid(op.asString(), LCM_API, "vnfLcmOpOcc.schema.json");
        assertThat(op.<String>path("operationParams.additionalParams.adminKeys[0].name")).isEqualTo("office");
        assertNoSecret(op.asString());
        assertNoSecret(as(SERVICE).get(ROOT + "/vnf_lcm_op_occs?all_fields").asString());

        // and the database holds them sealed
        String desired = row("select vnf_configuration::text from vnf_instance where id = ?1", id);
        assertThat(desired).contains("$encrypted\": \"v1:").contains("office").doesNotContain(PSK, TOKEN);
        String params = row("select operation_params::text from vnf_lcm_op_occ where id = ?1", opId);
        assertThat(params).contains("$encrypted\": \"v1:").doesNotContain(PSK, TOKEN);
    }

    @Test
    void aChangeThatDoesNotNameASecretKeepsItOneThatSetsItReplacesItAndNullRemovesIt() {
        // Given an instantiated instance with secrets
        String id = created();
        completed(started(as(SERVICE).body(Map.of("flavourId", "default", "additionalParams",
                config("203.0.113.91"))).post(ROOT + "/vnf_instances/" + id + "/instantiate")));

        // When a PATCH changes something else
        String patched = started(as(SERVICE).contentType("application/merge-patch+json")
                .body(Map.of("vnfConfigurableProperties", Map.of("portRangeEnd", 28999)))
                .patch(ROOT + "/vnf_instances/" + id));
        completed(patched);

        // Then the slowpath gets the change with the secrets it had
        assertThat(lastConfig().path("portRangeEnd").asInt()).isEqualTo(28999);
        assertThat(lastConfig().path("adminKeys").get(0).path("psk").asText()).isEqualTo(PSK);
        assertThat(lastConfig().path("adminConsole").path("token").asText()).isEqualTo(TOKEN);

        // When a PATCH sets a secret anew, it replaces it, and the PATCH's operation shows nothing of it
        String replaced = started(as(SERVICE).contentType("application/merge-patch+json")
                .body(Map.of("vnfConfigurableProperties", Map.of("adminConsole", Map.of("token", NEW_TOKEN))))
                .patch(ROOT + "/vnf_instances/" + id));
        completed(replaced);
        assertThat(lastConfig().path("adminConsole").path("token").asText()).isEqualTo(NEW_TOKEN);
        assertThat(lastConfig().path("adminConsole").path("user").asText()).isEqualTo("ops");
        assertNoSecret(as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + replaced).asString());
        assertThat(row("select operation_params::text from vnf_lcm_op_occ where id = ?1", replaced))
                .doesNotContain(NEW_TOKEN);
        assertThat(row("select vnf_configuration::text from vnf_instance where id = ?1", id))
                .doesNotContain(NEW_TOKEN, PSK);

        // When a PATCH sets it to null, it is gone
        Map<String, Object> removeToken = new HashMap<>();
        removeToken.put("token", null);
        completed(started(as(SERVICE).contentType("application/merge-patch+json")
                .body(Map.of("vnfConfigurableProperties", Map.of("adminConsole", removeToken)))
                .patch(ROOT + "/vnf_instances/" + id)));
        assertThat(lastConfig().path("adminConsole").has("token")).isFalse();
        assertThat(lastConfig().path("adminKeys").get(0).path("psk").asText()).isEqualTo(PSK);

        // When a PATCH replaces the array that holds a required secret without it, the schema sees it missing: 422
        as(SERVICE).contentType("application/merge-patch+json")
                .body(Map.of("vnfConfigurableProperties", Map.of("adminKeys", List.of(Map.of("name", "office")))))
                .patch(ROOT + "/vnf_instances/" + id)
                .then().statusCode(422).body("detail", containsString("psk"));

        // and a client cannot hand in the stored form
        as(SERVICE).contentType("application/merge-patch+json")
                .body(Map.of("vnfConfigurableProperties", Map.of("adminConsole",
                        Map.of("token", Map.of("$encrypted", "v1:AAAA")))))
                .patch(ROOT + "/vnf_instances/" + id)
                .then().statusCode(422).body("detail", containsString("$encrypted"));
    }

    @Test
    void aSnapshotIsStoredSealedAndGivesTheSlowpathItsSecretsBack() {
        // Given an instantiated instance with secrets, snapshotted
        String id = created();
        completed(started(as(SERVICE).body(Map.of("flavourId", "default", "additionalParams",
                config("203.0.113.92"))).post(ROOT + "/vnf_instances/" + id + "/instantiate")));
        String snapshotId = as(SERVICE).body(Map.of()).post(ROOT + "/vnf_snapshots").then().statusCode(201)
                .extract().path("id");
        completed(started(as(SERVICE).body(Map.of("vnfSnapshotInfoId", snapshotId))
                .post(ROOT + "/vnf_instances/" + id + "/create_snapshot")));

        // Then the snapshot resource shows no secret, and its row holds none in the clear
        Response snapshot = as(SERVICE).get(ROOT + "/vnf_snapshots/" + snapshotId);
        snapshot.then().statusCode(200);
        assertThat(snapshot.<String>path("vnfSnapshot.vnfInstance.vnfConfigurableProperties.adminKeys[0].name"))
                .isEqualTo("office");
        assertNoSecret(snapshot.asString());
        String stored = row("select state || ' ' || vnf_snapshot::text from vnf_snapshot where id = ?1", snapshotId);
        assertThat(stored).doesNotContain(PSK, TOKEN);

        // When the secret is changed, then the instance is reverted to the snapshot
        completed(started(as(SERVICE).contentType("application/merge-patch+json")
                .body(Map.of("vnfConfigurableProperties", Map.of("adminConsole", Map.of("token", NEW_TOKEN))))
                .patch(ROOT + "/vnf_instances/" + id)));
        completed(started(as(SERVICE).body(Map.of("vnfSnapshotInfoId", snapshotId))
                .post(ROOT + "/vnf_instances/" + id + "/revert_to_snapshot")));

        // Then the slowpath got the secrets of the snapshot back, in the clear
        JsonNode put = readTree(FakePeers.slowpath().snapshotsPut().getLast());
        assertThat(put.path("config").path("adminConsole").path("token").asText()).isEqualTo(TOKEN);
        assertThat(put.path("config").path("adminKeys").get(0).path("psk").asText()).isEqualTo(PSK);
        // and the desired configuration is the snapshot's, still sealed at rest and shown without them
        assertThat(row("select vnf_configuration::text from vnf_instance where id = ?1", id))
                .doesNotContain(PSK, TOKEN).contains("$encrypted");
        assertNoSecret(as(SERVICE).get(ROOT + "/vnf_instances/" + id).asString());
    }

    @Test
    void aPackageChangeKeepsTheSecretsItDoesNotNameAndTheReplacedSlowpathsStateIsJournaledSealed() {
        // Given an instantiated instance with secrets
        String id = created();
        completed(started(as(SERVICE).body(Map.of("flavourId", "default", "additionalParams",
                config("203.0.113.93"))).post(ROOT + "/vnf_instances/" + id + "/instantiate")));
        int puts = FakePeers.slowpath().snapshotsPut().size();

        // When it changes to the next package with a change that names no secret
        String op = started(as(SERVICE).body(Map.of("vnfdId", FakeNfvo.SECRETS_NEXT_VNFD_ID, "additionalParams",
                Map.of(), "vnfConfigurableProperties", Map.of("portRangeEnd", 27999)))
                .post(ROOT + "/vnf_instances/" + id + "/change_vnfpkg"));
        completed(op);

        // Then the new slowpath got the old one's snapshot and the configuration with the secrets it had, in the clear
        assertThat(FakePeers.slowpath().snapshotsPut()).hasSizeGreaterThan(puts);
        JsonNode given = readTree(FakePeers.slowpath().snapshotsPut().getLast());
        assertThat(given.path("config").path("adminKeys").get(0).path("psk").asText()).isEqualTo(PSK);
        assertThat(lastConfig().path("portRangeEnd").asInt()).isEqualTo(27999);
        assertThat(lastConfig().path("adminConsole").path("token").asText()).isEqualTo(TOKEN);
        // and nothing the operation kept holds them in the clear, nor does it show them
        assertThat(row("select operation_params::text || coalesce(work::text, '') from vnf_lcm_op_occ where id = ?1",
                op)).doesNotContain(PSK, TOKEN);
        assertNoSecret(as(SERVICE).get(ROOT + "/vnf_lcm_op_occs/" + op).asString());
        assertNoSecret(as(SERVICE).get(ROOT + "/vnf_instances/" + id).asString());
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertNoSecret(String body) {
        assertThat(body).doesNotContain(PSK, TOKEN, NEW_TOKEN, "$encrypted");
    }
}
